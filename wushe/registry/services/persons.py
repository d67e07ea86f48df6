"""Interactive writes to the registry: register, change, move, deregister a person, its tags
and certificate, and reveal its full numbers (audited). Views, the API and the demo come here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_PERSONS, REVEAL_IDENTIFIERS
from wushe.core.history import actor, record_actor, save_as
from wushe.core.models import AccessEventKind, Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.services import access_event_record
from wushe.core.validators import normalise_phone, parse_id_number

from ..identity import derive, normalise_name
from ..models import (
    DisabilityCertificate,
    Household,
    HouseholdChange,
    HouseholdChangeKind,
    Person,
    PersonSearchKey,
    PersonStatus,
    PersonTag,
    Relation,
    Tag,
)
from ._rules import (
    certificate_of,
    check_person_region,
    check_registered_on,
    clean_name,
    field_error,
    id_clash_error,
    today,
)
from .households import household_count_members


def _set_name(person: Person, name: str) -> None:
    person.name = clean_name(name)
    person.name_pinyin = derive(name=person.name).name_pinyin


def _set_id_number(person: Person, raw: str, acting_user: User | None = None) -> list[str]:
    try:
        parsed = parse_id_number(raw)
    except ValidationError as exc:
        raise field_error("id_number", exc) from None
    derived = derive(id_number=parsed.number)
    clash = id_clash_error(acting_user, derived.id_hash, person.pk)
    if clash is not None:
        raise clash
    person.id_number = parsed.number
    person.id_hash, person.id_masked = derived.id_hash, derived.id_masked
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
        raise field_error("phone", exc) from None
    derived = derive(phone=number)
    person.phone, person.phone_hash, person.phone_masked = number, derived.phone_hash, derived.phone_masked


def _write_search_keys(person: Person, *, fresh: bool = False) -> None:
    if not fresh:
        PersonSearchKey.objects.filter(person=person).delete()
    PersonSearchKey.objects.bulk_create(
        [PersonSearchKey(person=person, key=k) for k in derive(name=person.name).search_keys]
    )


def _check_certificate(person: Person, certificate: str) -> tuple[int, int]:
    return certificate_of(person.id_number, certificate)


@dataclass
class PersonResult:
    person: Person
    warnings: list[str]


@transaction.atomic
def person_create(
    *,
    acting_user: User | None,
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
    valid_from: datetime.date | None = None,
    registered_on: datetime.date | None = None,
) -> PersonResult:
    """Register a resident. ``tags`` are tag codes or names; the certificate is its 20-character number.

    ``registered_on`` is the day the resident entered the register (default today; an earlier
    day for a resident carried over from an older ledger); the tags and the certificate hold from
    ``valid_from``, by default from that day."""
    require_perm(acting_user, MANAGE_PERSONS)
    check_person_region(region, acting_user)
    person = Person(
        region=region, address=address.strip()[:200], contact_name=normalise_name(contact_name)[:50]
    )
    _set_name(person, name)
    warnings = _set_id_number(person, id_number, acting_user)
    person.registered_on = check_registered_on(registered_on, person.birth_date)
    _set_phone(person, phone)
    if contact_phone:
        try:
            person.contact_phone = normalise_phone(contact_phone)
        except ValidationError as exc:
            raise field_error("contact_phone", exc) from None
    category_level = _check_certificate(person, disability_certificate) if disability_certificate else None
    tag_objs = _resolve_tags(tags)
    if household is not None:
        if household.region_id != region.pk:
            raise ValidationError({"household": _("户与居民须属于同一区域")})
        if relation_to_head == Relation.HEAD or (
            relation_to_head and relation_to_head not in Relation.values
        ):
            raise ValidationError({"relation_to_head": _("与户主关系无效")})
        person.household = household
        person.relation_to_head = relation_to_head or Relation.OTHER
    record_actor(person, user=acting_user)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # registered meanwhile by someone else
        clash = id_clash_error(acting_user, person.id_hash)
        raise clash or ValidationError({"id_number": _("该身份证号码已登记")}) from None
    _write_search_keys(person, fresh=True)
    household_count_members([person.household_id])
    if household is not None:
        HouseholdChange.objects.create(
            household=household,
            person=person,
            kind=HouseholdChangeKind.JOINED,
            relation=person.relation_to_head,
            on=today(),
            by=actor(acting_user),
        )
    start = valid_from or person.registered_on
    for tag in tag_objs:
        save_as(PersonTag(person=person, region=person.region, tag=tag, valid_from=start), user=acting_user)
    if category_level:
        save_as(
            DisabilityCertificate(
                person=person,
                region=region,
                category=category_level[0],
                level=category_level[1],
                issued_on=certificate_issued_on,
                valid_from=start,
            ),
            user=acting_user,
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


UPDATABLE = ("name", "id_number", "phone", "address", "contact_name", "contact_phone")


@transaction.atomic
def person_update(
    *,
    acting_user: User | None,
    person: Person,
    name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
) -> PersonResult:
    """Change the fields given (``UPDATABLE``); ``None`` leaves a field as it is, ``""`` clears
    the phone, the address and the contact."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    warnings: list[str] = []
    fields: set[str] = set()
    if name is not None and name != person.name:
        _set_name(person, name)
        fields |= {"name", "name_pinyin"}
    if id_number:
        old = person.id_number
        warnings = _set_id_number(person, id_number, acting_user)
        if person.id_number != old:
            fields |= {"id_number", "id_hash", "id_masked", "birth_date", "sex"}
    if phone is not None:
        old_hash = person.phone_hash
        _set_phone(person, phone)
        if person.phone_hash != old_hash:
            fields |= {"phone", "phone_hash", "phone_masked"}
    if address is not None:
        person.address = address.strip()[:200]
        fields.add("address")
    if contact_name is not None:
        person.contact_name = normalise_name(contact_name)[:50]
        fields.add("contact_name")
    if contact_phone is not None:
        raw = contact_phone.strip()
        try:
            person.contact_phone = normalise_phone(raw) if raw else ""
        except ValidationError as exc:
            raise field_error("contact_phone", exc) from None
        fields.add("contact_phone")
    if fields:
        record_actor(person, user=acting_user)
        person.save(update_fields=[*sorted(fields), "updated_at"])
        if "name" in fields:
            _write_search_keys(person)
    return PersonResult(person=person, warnings=warnings)


@transaction.atomic
def person_move(*, acting_user: User | None, person: Person, region: Region) -> Person:
    """Move a resident to another community or grid (and the household with them if they head it)."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    check_person_region(region, acting_user)
    person.region = region
    fields = ["region", "updated_at"]
    left = None
    if (
        person.household_id
        and person.relation_to_head != Relation.HEAD
        and person.household is not None
        and person.household.region_id != region.pk
    ):
        # a member moving away leaves the household (a household lives in one region)
        left = person.household_id
        HouseholdChange.objects.create(
            household_id=left,
            person=person,
            kind=HouseholdChangeKind.LEFT,
            relation=person.relation_to_head,
            on=today(),
            note=_("迁往%(region)s") % {"region": region.name},
            by=actor(acting_user),
        )
        person.household, person.relation_to_head = None, ""
        fields += ["household", "relation_to_head"]
    record_actor(person, user=acting_user)
    person.save(update_fields=fields)
    household_count_members([left])
    moved = [person.pk]
    if person.household_id and person.relation_to_head == Relation.HEAD:
        household = person.household
        assert household is not None
        household.region = region
        record_actor(household, user=acting_user)
        household.save(update_fields=["region"])
        for member in Person.objects.filter(household=household).exclude(pk=person.pk):
            member.region = region
            record_actor(member, user=acting_user)
            member.save(update_fields=["region", "updated_at"])
            moved.append(member.pk)
    # certificates and tags carry their holder's region (the figures read them without a join)
    DisabilityCertificate.objects.filter(person_id__in=moved).update(region=region)
    PersonTag.objects.filter(person_id__in=moved).update(region=region)
    return person


@transaction.atomic
def person_deregister(
    *, acting_user: User | None, person: Person, status: str, on: datetime.date | None = None, note: str = ""
) -> Person:
    """迁出 or 死亡: the person stays in the registry and its history; open tags and certificates end."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    if status not in (PersonStatus.MOVED, PersonStatus.DECEASED):
        raise ValidationError({"status": _("注销状态须为迁出或死亡")})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"status": _("该居民已不在册")})
    day = on or today()
    if day > today():
        raise ValidationError({"on": _("日期不能晚于今天")})
    person.status, person.status_changed_on, person.status_note = status, day, note.strip()[:200]
    record_actor(person, user=acting_user)
    person.save(update_fields=["status", "status_changed_on", "status_note", "updated_at"])
    household_count_members([person.household_id])
    open_rows: list[PersonTag | DisabilityCertificate] = [
        *person.tags.filter(valid_to__isnull=True),
        *person.certificates.filter(valid_to__isnull=True),
    ]
    for open_row in open_rows:
        open_row.valid_to = (
            day if day > open_row.valid_from else open_row.valid_from + datetime.timedelta(days=1)
        )
        record_actor(open_row, user=acting_user)
        open_row.save(update_fields=["valid_to"])
    return person


@transaction.atomic
def person_tags_set(
    *, acting_user: User | None, person: Person, tags: Iterable[str], on: datetime.date | None = None
) -> None:
    """Make the person's open tags exactly ``tags``: ends the others, opens the new ones."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    wanted = {t.pk: t for t in _resolve_tags(tags)}
    day = on or today()
    for row in person.tags.filter(valid_to__isnull=True):
        if row.tag_id in wanted:
            wanted.pop(row.tag_id)
        elif row.valid_from < day:
            row.valid_to = day
            record_actor(row, user=acting_user)
            row.save(update_fields=["valid_to"])
        else:
            row.delete()  # opened today by mistake: nothing to keep
    for tag in wanted.values():
        save_as(PersonTag(person=person, region=person.region, tag=tag, valid_from=day), user=acting_user)


@transaction.atomic
def certificate_set(
    *,
    acting_user: User | None,
    person: Person,
    number: str,
    issued_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> DisabilityCertificate:
    """Record the person's certificate; a new category or level closes the old one from ``on``."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, person.region)
    category, level = _check_certificate(person, number)
    day = on or today()
    current = person.certificates.filter(valid_to__isnull=True).first()
    if current and (current.category, current.level) == (category, level):
        return current
    if current:
        if current.valid_from >= day:
            current.delete()
        else:
            current.valid_to = day
            record_actor(current, user=acting_user)
            current.save(update_fields=["valid_to"])
    return save_as(
        DisabilityCertificate(
            person=person,
            region=person.region,
            category=category,
            level=level,
            issued_on=issued_on,
            valid_from=day,
        ),
        user=acting_user,
    )


@transaction.atomic
def person_reveal(*, user: User | None, person: Person, request: HttpRequest | None = None) -> dict[str, str]:
    """The full ID number and phone, for a user with the permission; always an audit event."""
    require_perm(user, REVEAL_IDENTIFIERS)
    access_event_record(kind=AccessEventKind.REVEAL, user=user, request=request, obj=person)
    return {
        "id_number": person.id_number,
        "phone": person.phone or "",
        "contact_phone": person.contact_phone or "",
    }
