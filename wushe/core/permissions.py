"""Checks shared by every app's services (the actor's capability and scope) and pages (what a
page requires, recorded on its view for the menu)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required, permission_required
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


# ---- what a page requires: the view's check, which the menu reads too (core.nav) -------------

PAGE_PERMISSION_ATTR = "wushe_page_permission"


def mark_page_permission(view: Callable[..., Any], perm: str) -> Callable[..., Any]:
    """Record on ``view`` the capability it checks, for the menu to read (``view_permission``)."""
    setattr(view, PAGE_PERMISSION_ATTR, perm)
    return view


def page_permission(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A page that needs ``perm``: signed in (else the login page), the capability (else 403),
    and the requirement recorded on the view, so the menu offers the page exactly to those the
    view lets in. Goes outermost (above ``@require_GET``), like ``@login_required``."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        checked = login_required(permission_required(perm, raise_exception=True)(view))
        return mark_page_permission(checked, perm)

    return decorate


def view_permission(view: Callable[..., Any]) -> str:
    """The capability a page's view checks ("" when signing in is enough)."""
    return str(getattr(view, PAGE_PERMISSION_ATTR, ""))
