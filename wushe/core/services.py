"""Writes of the core app: regions and access events."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from . import auditchain
from .models import LEVEL_ORDER, AccessEvent, AccessEventKind, Region, RegionLevel

# How many leading digits of the 12-digit code a child shares with its parent, by child level.
_SHARED_PREFIX = {RegionLevel.CITY: 2, RegionLevel.COUNTY: 4, RegionLevel.STREET: 6, RegionLevel.COMMUNITY: 9}


def _check_code(*, code: str, level: str, parent: Region | None) -> None:
    if not code.isdigit():
        raise ValidationError({"code": _("区划代码只能由数字组成")})
    if level == RegionLevel.GRID:
        if parent is None or parent.level != RegionLevel.COMMUNITY:
            raise ValidationError({"parent": _("网格的上级必须是社区/村")})
        if len(code) != 15 or not code.startswith(parent.code):
            raise ValidationError({"code": _("网格代码为所属社区的12位代码加3位序号")})
        return
    if len(code) != 12:
        raise ValidationError({"code": _("统计用区划代码应为12位")})
    if parent is not None:
        if LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(parent.level):
            raise ValidationError({"parent": _("上级的层级必须高于本级")})
        shared = _SHARED_PREFIX.get(RegionLevel(level), 0)
        if code[:shared] != parent.code[:shared]:
            raise ValidationError({"code": _("区划代码与上级区划代码不一致")})


@transaction.atomic
def region_create(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    code = code.strip()
    _check_code(code=code, level=level, parent=parent)
    if Region.objects.filter(code=code).exists():
        raise ValidationError({"code": _("区划代码 %(code)s 已存在") % {"code": code}})
    region = Region(code=code, name=name.strip(), level=level, parent=parent, path="")
    region.depth = parent.depth + 1 if parent else 0
    region.save()
    region.path = f"{parent.path if parent else '/'}{region.pk}/"
    region.save(update_fields=["path"])
    return region


def region_get_or_create(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    """Idempotent variant used by the demo and imports."""
    existing = Region.objects.filter(code=code).first()
    return existing or region_create(code=code, name=name, level=level, parent=parent)


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_event_record(
    *,
    kind: AccessEventKind | str,
    user: Any = None,
    username: str = "",
    request: HttpRequest | None = None,
    obj: Any = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    """Append one access event (reveal, export, login …) in the caller's transaction."""
    is_user = user is not None and getattr(user, "is_authenticated", False)
    transaction.on_commit(auditchain.seal_soon)  # no lock here: the sealer chains it later
    return AccessEvent.objects.create(
        kind=kind,
        user=user if is_user else None,
        username=username or (user.get_username() if is_user else ""),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
        ip=_client_ip(request),
    )
