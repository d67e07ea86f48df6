"""Checks shared by every app's services: the actor's capability and scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .models import Region

if TYPE_CHECKING:
    from .types import AnyUser


def require_perm(user: AnyUser | None, perm: str) -> None:
    """``user=None`` is the system itself (demo, imports run by operators)."""
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(_("您没有执行此操作的权限"))


def require_region_in_scope(user: AnyUser | None, region: Region, *, field: str = "region") -> None:
    if user is None:
        return
    if not Region.objects.visible_to(user).filter(pk=region.pk).exists():
        raise ValidationError({field: _("该区域不在您的管辖范围内")})


def require_operator(acting_user: AnyUser | None) -> None:
    """The region tree and the accounts are set up by the operators: a superuser, or the system
    itself (``None``: the command line, the demo)."""
    if acting_user is not None and not getattr(acting_user, "is_superuser", False):
        raise PermissionDenied(_("只有系统管理员可以执行此操作"))
