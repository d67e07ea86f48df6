"""Roles (DOMAIN.md's table) and what each may do beyond seeing its scope.

Scope — which records — comes from the region a role is granted on (``core.scoping``).
Capability — what may be done with them — is the permission set below, checked with Django's
``user.has_perm`` through :class:`wushe.accounts.backends.RoleBackend`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.config import CONFIGURE


class Role(models.TextChoices):
    STREET_ADMIN = "street_admin", _("街道管理员")
    COMMUNITY_STAFF = "community_staff", _("社区工作人员")
    SOCIAL_WORKER = "social_worker", _("社工")
    ORG_STAFF = "org_staff", _("社会组织人员")
    TEAM_LEADER = "team_leader", _("志愿服务队队长")
    STUDIO = "studio", _("代表委员工作室")
    LEADER = "leader", _("领导（只读）")


# Roles whose grant on a region opens the records of that region's subtree. The others see only
# what is referred or assigned to them (their organization, team or studio), never a region's
# registry as a whole.
REGION_ROLES = frozenset({Role.STREET_ADMIN, Role.COMMUNITY_STAFF, Role.SOCIAL_WORKER, Role.LEADER})
# Roles granted on an organization (``RoleGrant.organization``): a social organization, a
# volunteer team or a studio, each a ``partners.Organization``.
ORGANIZATION_ROLES = frozenset({Role.ORG_STAFF, Role.TEAM_LEADER, Role.STUDIO})

MANAGE_PERSONS = "registry.manage_person"
REVEAL_IDENTIFIERS = "registry.reveal_identifiers"
EXPORT_LEDGER = "registry.export_ledger"
VIEW_AUDIT = "core.view_accessevent"
# CONFIGURE (the settings pages: tags, categories, calendar, step limits) is core.config.CONFIGURE
MANAGE_USERS = "accounts.manage_users"  # users and role grants inside one's own scope
RECORD_OUTREACH = "needs.record_outreach"  # visits, needs, problems, accepting a match
WORK_NEEDS = "needs.work_need"  # move a need on (an organization works what is referred to it)
MANAGE_LISTS = "partners.manage_lists"  # resources and projects
# Service work (issue 6): record cases, groups and activities; handle residents' requests;
# log volunteers' hours. Which records is the scope's business; these say who may write at all.
RECORD_SERVICES = "casework.record_service"
HANDLE_APPEALS = "appeals.handle_appeal"
LOG_VOLUNTEER_HOURS = "volunteers.log_hours"
_SERVICE_WORK = frozenset({RECORD_SERVICES, HANDLE_APPEALS, LOG_VOLUNTEER_HOURS})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.STREET_ADMIN: frozenset(
        {
            MANAGE_PERSONS,
            REVEAL_IDENTIFIERS,
            EXPORT_LEDGER,
            VIEW_AUDIT,
            CONFIGURE,
            MANAGE_USERS,
            RECORD_OUTREACH,
            WORK_NEEDS,
            MANAGE_LISTS,
        }
    )
    | _SERVICE_WORK,
    Role.COMMUNITY_STAFF: frozenset(
        {MANAGE_PERSONS, REVEAL_IDENTIFIERS, EXPORT_LEDGER, RECORD_OUTREACH, WORK_NEEDS, MANAGE_LISTS}
    )
    | _SERVICE_WORK,
    Role.SOCIAL_WORKER: frozenset(
        {MANAGE_PERSONS, REVEAL_IDENTIFIERS, EXPORT_LEDGER, RECORD_OUTREACH, WORK_NEEDS}
    )
    | _SERVICE_WORK,
    Role.ORG_STAFF: frozenset({WORK_NEEDS, RECORD_SERVICES, HANDLE_APPEALS}),
    Role.TEAM_LEADER: frozenset({LOG_VOLUNTEER_HOURS}),
    Role.STUDIO: frozenset({HANDLE_APPEALS}),
    Role.LEADER: frozenset({EXPORT_LEDGER}),
}
