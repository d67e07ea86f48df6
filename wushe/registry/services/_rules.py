"""The checks both registry write paths share (the interactive writes and the bulk path)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import require_region_in_scope
from wushe.core.scoping import granted_paths
from wushe.core.validators import normalise_phone, parse_certificate_number

from ..identity import normalise_name
from ..models import Person

PERSON_REGION_LEVELS = (RegionLevel.COMMUNITY, RegionLevel.GRID)


def today() -> datetime.date:
    return timezone.localdate()


def field_error(field: str, error: ValidationError) -> ValidationError:
    return ValidationError({field: error.messages})


def check_person_region(region: Region, acting_user: User | None) -> None:
    if region.level not in PERSON_REGION_LEVELS:
        raise ValidationError({"region": _("居民须登记到社区/村或网格")})
    require_region_in_scope(acting_user, region)


def clean_name(name: str) -> str:
    """The name normalised (:func:`wushe.registry.identity.normalise_name`), required, ≤ 50."""
    name = normalise_name(name)
    if not name:
        raise ValidationError({"name": _("姓名不能为空")})
    if len(name) > 50:
        raise ValidationError({"name": _("姓名不能超过50个字")})
    return name


def id_not_registrable_message() -> str:
    """The one answer for an ID number registered outside the actor's scope, whatever that
    person's status or region: it must not tell who holds the number, nor whether they live."""
    return _("该身份证号码无法在本区域登记，请联系街道管理员核实")


def registered_outside_scope(acting_user: User | None, region_path: str) -> bool:
    """Whether a registered person (of ``region_path``) lies outside the actor's subtrees."""
    if acting_user is None:
        return False
    paths = granted_paths(acting_user)
    return paths is not None and not any(region_path.startswith(p) for p in paths)


def id_clash_error(
    acting_user: User | None, digest: str, exclude_pk: int | None = None
) -> ValidationError | None:
    """The error for an ID number already registered: in the actor's scope it says so; outside it
    says only :func:`id_not_registrable_message` (no existence oracle across scope)."""
    clash = Person.objects.filter(id_hash=digest)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    path = clash.values_list("region__path", flat=True).first()
    if path is None:
        return None
    if registered_outside_scope(acting_user, path):
        return ValidationError({"id_number": id_not_registrable_message()})
    return ValidationError({"id_number": _("该身份证号码已登记")})


def certificate_of(id_number: str, certificate: str, holder: Any = None) -> tuple[int, int]:
    """(category, level) of a certificate number, which must carry the holder's ID number."""
    try:
        parsed = parse_certificate_number(certificate, holder=holder)
    except ValidationError as exc:
        raise field_error("disability_certificate", exc) from None
    if parsed.id_number != id_number:
        raise ValidationError({"disability_certificate": _("残疾人证号前18位须与持证人身份证号码一致")})
    return parsed.category, parsed.level


def clean_phone(field: str, raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalise_phone(raw)
    except ValidationError as exc:
        raise field_error(field, exc) from None


def check_registered_on(
    day: object, birth_date: datetime.date, *, on: datetime.date | None = None
) -> datetime.date:
    """The day of registration (``None``: ``on``, default today): neither after ``on`` nor before
    the resident's birth."""
    on = on or today()
    if day is None:
        return on
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise ValidationError({"registered_on": _("请填写登记日期")})
    if day > on:
        raise ValidationError({"registered_on": _("登记日期不能晚于今天")})
    if day < birth_date:
        raise ValidationError({"registered_on": _("登记日期不能早于出生日期")})
    return day
