"""Who acts for a street: the street's own administrators (民政所) do the 初审, the periodic
review and the roster's approval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def street_of(region: Region) -> Region | None:
    """The 街道/乡镇 at or above ``region``."""
    if region.level == RegionLevel.STREET:
        return region
    ids = [int(i) for i in region.path.strip("/").split("/") if i]
    return Region.objects.filter(pk__in=ids, level=RegionLevel.STREET).first()


def is_street_admin(user: AnyUser | None, region: Region) -> bool:
    """A 街道管理员 grant on ``region`` or above it; ``None`` is the system."""
    if user is None:
        return True
    if not user.is_authenticated:
        return False
    ids = [int(i) for i in region.path.strip("/").split("/") if i]
    return RoleGrant.objects.filter(
        user_id=int(user.pk or 0), role=Role.STREET_ADMIN, region_id__in=ids
    ).exists()


def street_admin_anywhere(user: AnyUser) -> bool:
    return (
        bool(user.is_authenticated)
        and RoleGrant.objects.filter(user_id=int(user.pk or 0), role=Role.STREET_ADMIN).exists()
    )
