"""Who acts for a responsibility unit (责任清单): its members and its supervisors.

Work handed to a unit (a request's 处理 after 转办) is the unit's: only its members or a
supervisor of it do it.

- **Members.** A unit of an organization (社会组织): the users granted on that organization (社会组织
  人员). A unit of the street or community offices (民政所, 社工站, 社区社工分站, 网格社工, 社区):
  the users holding a working region role (社工, 社区工作人员, 街道管理员) granted on the unit's own
  region — the grid's social worker for 网格社工, the community's staff and social workers for
  its 分站 and 社区, the street's for 民政所 and 社工站.
- **Supervisors.** The street's supervisors (街道管理员: the 民政所 and 社工站 督导) granted on the
  street — or a region above it — that contains the unit's region.
- A superuser, and the system (``None``: the demo, the command line), act for every unit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.regions import path_ids
from wushe.core.scoping import granted_organization_ids

from .models import ResponsibilityUnit

MEMBER_ROLES = (Role.SOCIAL_WORKER, Role.COMMUNITY_STAFF, Role.STREET_ADMIN)
SUPERVISOR_ROLE = Role.STREET_ADMIN


def _grants_over(unit: ResponsibilityUnit) -> Q:
    """Grants that make a user a member or a supervisor of ``unit`` (one condition)."""
    q = Q(role=SUPERVISOR_ROLE, region_id__in=path_ids(unit.region.path))
    if unit.organization_id is not None:
        return q | Q(organization_id=unit.organization_id)
    return q | Q(role__in=MEMBER_ROLES, region_id=unit.region_id, organization__isnull=True)


def acts_for_unit(user: Any, unit: ResponsibilityUnit | None) -> bool:
    """``user`` is a member of ``unit`` or a supervisor of it (the module's docstring)."""
    if user is None or getattr(user, "is_superuser", False):
        return True
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    if unit.organization_id is not None and unit.organization_id in granted_organization_ids(user):
        return True
    return RoleGrant.objects.filter(_grants_over(unit), user_id=user.pk).exists()


def who_acts_for(unit: ResponsibilityUnit) -> str:
    """The unit's members and supervisors in words (the page says who must act next)."""
    if unit.organization_id is not None:
        return _("%(unit)s的工作人员（或街道督导）") % {"unit": unit.name}
    return _("%(unit)s（%(region)s的社工、社区工作人员，或街道督导）") % {
        "unit": unit.name,
        "region": unit.region.name,
    }
