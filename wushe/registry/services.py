"""Every write to the registry. Views, the API, imports and the demo all come through here.

Each function takes keyword-only arguments including ``acting_user`` (``None`` for the system
itself), validates, runs in one transaction and leaves a history record naming the actor.
Errors are ``ValidationError`` keyed by the field at fault, with the rule in the message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.roles import MANAGE_PERSONS, REVEAL_IDENTIFIERS
from wushe.core import crypto
from wushe.core.models import AccessEventKind, Region, RegionLevel
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.services import access_event_record
from wushe.core.validators import (
    mask_id_number,
    mask_phone,
    normalise_phone,
    parse_certificate_number,
    parse_id_number,
)

from .models import (
    DisabilityCertificate,
    Household,
    Person,
    PersonSearchKey,
    PersonStatus,
    PersonTag,
    Relation,
    Tag,
)
from .pinyin import name_keys, primary_pinyin

PERSON_REGION_LEVELS = (RegionLevel.COMMUNITY, RegionLevel.GRID)


def _today() -> datetime.date:
    return timezone.localdate()


def id_hash(number: str) -> str:
    return crypto.blind_index("id", number)


def phone_hash(number: str) -> str:
    return crypto.blind_index("phone", number)


def _field_error(field: str, error: ValidationError) -> ValidationError:
    return ValidationError({field: error.messages})


def _check_person_region(region: Region, acting_user: Any) -> None:
    if region.level not in PERSON_REGION_LEVELS:
        raise ValidationError({"region": _("居民须登记到社区/村或网格")})
    require_region_in_scope(acting_user, region)


def _set_name(person: Person, name: str) -> None:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("姓名不能为空")})
    if len(name) > 50:
        raise ValidationError({"name": _("姓名不能超过50个字")})
    person.name = name
    person.name_pinyin = primary_pinyin(name)[:200]


def _set_id_number(person: Person, raw: str) -> list[str]:
    try:
        parsed = parse_id_number(raw)
    except ValidationError as exc:
        raise _field_error("id_number", exc) from None
    digest = id_hash(parsed.number)
    clash = Person.objects.filter(id_hash=digest)
    if person.pk:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError({"id_number": _("该身份证号码已登记")})
    person.id_number = parsed.number
    person.id_hash = digest
    person.id_masked = mask_id_number(parsed.number)
    person.birth_date = parsed.birth_date
    person.sex = parsed.sex
    return list(parsed.warnings)


def _set_phone(person: Person, raw: str) -> None:
    raw = (raw or "").strip()
    if not raw:
        person.phone, person.phone_hash, person.phone_masked = "", "", ""
        return
    try:
        number = normalise_phone(raw)
    except ValidationError as exc:
        raise _field_error("phone", exc) from None
    person.phone, person.phone_hash, person.phone_masked = number, phone_hash(number), mask_phone(number)


def _write_search_keys(person: Person, *, fresh: bool = False) -> None:
    if not fresh:
        PersonSearchKey.objects.filter(person=person).delete()
    PersonSearchKey.objects.bulk_create(
        [PersonSearchKey(person=person, key=k[:200]) for k in name_keys(person.name)]
    )


def _check_certificate(person: Person, certificate: str) -> tuple[int, int]:
    try:
        parsed = parse_certificate_number(certificate)
    except ValidationError as exc:
        raise _field_error("disability_certificate", exc) from None
    if parsed.id_number != person.id_number:
        raise ValidationError({"disability_certificate": _("残疾人证号前18位须与持证人身份证号码一致")})
    return parsed.category, parsed.level


@dataclass
class PersonResult:
    person: Person
    warnings: list[str]


@transaction.atomic
def person_create(
    *,
    acting_user: Any,
    region: Region,
    name: str,
    id_number: str,
    phone: str = "",
    address: str = "",
    household: Household | None = None,
    relation_to_head: str = "",
    tags: Iterable[str] = (),
    disability_certificate: str = "",
    certificate_issued_on: datetime.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    consent_sensitive: bool = False,
    valid_from: datetime.date | None = None,
) -> PersonResult:
    """Register a resident. ``tags`` are tag codes or names; the certificate is its 20-character number."""
    require_perm(acting_user, MANAGE_PERSONS)
    _check_person_region(region, acting_user)
    person = Person(region=region, address=address.strip()[:200], contact_name=contact_name.strip()[:50])
    _set_name(person, name)
    warnings = _set_id_number(person, id_number)
    _set_phone(person, phone)
    if contact_phone:
        try:
            person.contact_phone = normalise_phone(contact_phone)
        except ValidationError as exc:
            raise _field_error("contact_phone", exc) from None
    category_level = _check_certificate(person, disability_certificate) if disability_certificate else None
    tag_objs = _resolve_tags(tags)
    if household is not None:
        if household.region_id != region.pk:
            raise ValidationError({"household": _("户与居民须属于同一区域")})
        person.household = household
        person.relation_to_head = relation_to_head or Relation.OTHER
    if consent_sensitive:
        person.consent_sensitive, person.consent_on = True, _today()
    person._history_user = acting_user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationError({"id_number": _("该身份证号码已登记")}) from None
    _write_search_keys(person, fresh=True)
    start = valid_from or _today()
    for tag in tag_objs:
        PersonTag.objects.create(person=person, tag=tag, valid_from=start)
    if category_level:
        DisabilityCertificate.objects.create(
            person=person,
            category=category_level[0],
            level=category_level[1],
            issued_on=certificate_issued_on,
            valid_from=start,
        )
    return PersonResult(person=person, warnings=warnings)


def _resolve_tags(tags: Iterable[str]) -> list[Tag]:
    wanted = [t.strip() for t in tags if t and t.strip()]
    if not wanted:
        return []
    found = {t.code: t for t in Tag.objects.filter(code__in=wanted)}
    found.update({t.name: t for t in Tag.objects.filter(name__in=wanted)})
    unknown = [t for t in wanted if t not in found]
    if unknown:
        raise ValidationError({"tags": _("未知的人员类别：%(t)s") % {"t": "、".join(unknown)}})
    return list({found[t].pk: found[t] for t in wanted}.values())


UPDATABLE = ("name", "id_number", "phone", "address", "contact_name", "contact_phone", "consent_sensitive")


@transaction.atomic
def person_update(*, acting_user: Any, person: Person, **changes: Any) -> PersonResult:
    """Change the listed fields (see ``UPDATABLE``); unknown keys are an error, not ignored."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise ValidationError({k: _("该字段不可修改") for k in sorted(unknown)})
    warnings: list[str] = []
    fields: set[str] = set()
    if "name" in changes and changes["name"] != person.name:
        _set_name(person, changes["name"])
        fields |= {"name", "name_pinyin"}
    if "id_number" in changes and changes["id_number"]:
        old = person.id_number
        warnings = _set_id_number(person, changes["id_number"])
        if person.id_number != old:
            fields |= {"id_number", "id_hash", "id_masked", "birth_date", "sex"}
    if "phone" in changes:
        _set_phone(person, changes["phone"] or "")
        fields |= {"phone", "phone_hash", "phone_masked"}
    if "address" in changes:
        person.address = (changes["address"] or "").strip()[:200]
        fields.add("address")
    if "contact_name" in changes:
        person.contact_name = (changes["contact_name"] or "").strip()[:50]
        fields.add("contact_name")
    if "contact_phone" in changes:
        raw = (changes["contact_phone"] or "").strip()
        try:
            person.contact_phone = normalise_phone(raw) if raw else ""
        except ValidationError as exc:
            raise _field_error("contact_phone", exc) from None
        fields.add("contact_phone")
    if "consent_sensitive" in changes and bool(changes["consent_sensitive"]) != person.consent_sensitive:
        person.consent_sensitive = bool(changes["consent_sensitive"])
        person.consent_on = _today() if person.consent_sensitive else None
        fields |= {"consent_sensitive", "consent_on"}
    if fields:
        person._history_user = acting_user  # type: ignore[attr-defined]
        person.save(update_fields=[*sorted(fields), "updated_at"])
        if "name" in fields:
            _write_search_keys(person)
    return PersonResult(person=person, warnings=warnings)


@transaction.atomic
def person_move(*, acting_user: Any, person: Person, region: Region) -> Person:
    """Move a resident to another community or grid (and the household with them if they head it)."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    _check_person_region(region, acting_user)
    person.region = region
    person._history_user = acting_user  # type: ignore[attr-defined]
    person.save(update_fields=["region", "updated_at"])
    if person.household_id and person.relation_to_head == Relation.HEAD:
        household = person.household
        assert household is not None
        household.region = region
        household._history_user = acting_user  # type: ignore[attr-defined]
        household.save(update_fields=["region"])
        Person.objects.filter(household=household).exclude(pk=person.pk).update(region=region)
    return person


@transaction.atomic
def person_deregister(
    *, acting_user: Any, person: Person, status: str, on: datetime.date | None = None, note: str = ""
) -> Person:
    """迁出 or 死亡: the person stays in the registry and its history; open tags and certificates end."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    if status not in (PersonStatus.MOVED, PersonStatus.DECEASED):
        raise ValidationError({"status": _("注销状态须为迁出或死亡")})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"status": _("该居民已不在册")})
    day = on or _today()
    if day > _today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    person.status, person.status_changed_on, person.status_note = status, day, note.strip()[:200]
    person._history_user = acting_user  # type: ignore[attr-defined]
    person.save(update_fields=["status", "status_changed_on", "status_note", "updated_at"])
    for open_row in (
        *person.tags.filter(valid_to__isnull=True),
        *person.certificates.filter(valid_to__isnull=True),
    ):
        open_row.valid_to = (
            day if day > open_row.valid_from else open_row.valid_from + datetime.timedelta(days=1)
        )
        open_row._history_user = acting_user  # type: ignore[attr-defined]
        open_row.save(update_fields=["valid_to"])
    return person


@transaction.atomic
def person_tags_set(
    *, acting_user: Any, person: Person, tags: Iterable[str], on: datetime.date | None = None
) -> None:
    """Make the person's open tags exactly ``tags``: ends the others, opens the new ones."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    wanted = {t.pk: t for t in _resolve_tags(tags)}
    day = on or _today()
    for row in person.tags.filter(valid_to__isnull=True):
        if row.tag_id in wanted:
            wanted.pop(row.tag_id)
        elif row.valid_from < day:
            row.valid_to = day
            row._history_user = acting_user  # type: ignore[attr-defined]
            row.save(update_fields=["valid_to"])
        else:
            row.delete()  # opened today by mistake: nothing to keep
    for tag in wanted.values():
        PersonTag.objects.create(person=person, tag=tag, valid_from=day)


@transaction.atomic
def certificate_set(
    *,
    acting_user: Any,
    person: Person,
    number: str,
    issued_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> DisabilityCertificate:
    """Record the person's certificate; a new category or level closes the old one from ``on``."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    category, level = _check_certificate(person, number)
    day = on or _today()
    current = person.certificates.filter(valid_to__isnull=True).first()
    if current and (current.category, current.level) == (category, level):
        return current
    if current:
        if current.valid_from >= day:
            current.delete()
        else:
            current.valid_to = day
            current._history_user = acting_user  # type: ignore[attr-defined]
            current.save(update_fields=["valid_to"])
    return DisabilityCertificate.objects.create(
        person=person, category=category, level=level, issued_on=issued_on, valid_from=day
    )


@transaction.atomic
def household_create(*, acting_user: Any, head: Person, address: str = "") -> Household:
    """Open a household with ``head`` as 户主, in the head's region."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, head.region)
    if head.household_id:
        raise ValidationError({"head": _("该居民已属于一户")})
    household = Household.objects.create(region=head.region, address=(address or head.address).strip()[:200])
    head.household, head.relation_to_head = household, Relation.HEAD
    head._history_user = acting_user  # type: ignore[attr-defined]
    head.save(update_fields=["household", "relation_to_head", "updated_at"])
    return household


@transaction.atomic
def household_add_member(*, acting_user: Any, household: Household, person: Person, relation: str) -> Person:
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, household.region)
    if relation not in Relation.values or relation == Relation.HEAD:
        raise ValidationError({"relation": _("与户主关系无效")})
    if person.household_id and person.household_id != household.pk:
        raise ValidationError({"person": _("该居民已属于另一户")})
    if person.region_id != household.region_id:
        raise ValidationError({"person": _("户成员须与户属于同一区域")})
    person.household, person.relation_to_head = household, relation
    person._history_user = acting_user  # type: ignore[attr-defined]
    person.save(update_fields=["household", "relation_to_head", "updated_at"])
    return person


@transaction.atomic
def person_reveal(*, user: Any, person: Person, request: HttpRequest | None = None) -> dict[str, str]:
    """The full ID number and phone, for a user with the permission; always an audit event."""
    require_perm(user, REVEAL_IDENTIFIERS)
    access_event_record(kind=AccessEventKind.REVEAL, user=user, request=request, obj=person)
    return {
        "id_number": person.id_number,
        "phone": person.phone or "",
        "contact_phone": person.contact_phone or "",
    }
