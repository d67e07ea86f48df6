"""Every write to the registry. Views, the API, imports and the demo all come through here.

Each function takes keyword-only arguments including ``acting_user`` (``None`` for the system
itself), validates, runs in one transaction and leaves a history record naming the actor.
Errors are ``ValidationError`` keyed by the field at fault, with the rule in the message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.roles import MANAGE_PERSONS, REVEAL_IDENTIFIERS
from wushe.core import crypto
from wushe.core.models import AccessEventKind, Region, RegionLevel
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.scoping import granted_paths
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


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("姓名不能为空")})
    if len(name) > 50:
        raise ValidationError({"name": _("姓名不能超过50个字")})
    return name


def _set_name(person: Person, name: str) -> None:
    name = _clean_name(name)
    person.name = name
    person.name_pinyin = primary_pinyin(name)[:200]


def id_not_registrable_message() -> str:
    """The one answer for an ID number registered outside the actor's scope, whatever that
    person's status or region: it must not tell who holds the number, nor whether they live."""
    return _("该身份证号码无法在本区域登记，请联系街道管理员核实")


def registered_outside_scope(acting_user: Any, region_path: str) -> bool:
    """Whether a registered person (of ``region_path``) lies outside the actor's subtrees."""
    if acting_user is None:
        return False
    paths = granted_paths(acting_user)
    return paths is not None and not any(region_path.startswith(p) for p in paths)


def _id_clash_error(acting_user: Any, digest: str, exclude_pk: int | None = None) -> ValidationError | None:
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


def _set_id_number(person: Person, raw: str, acting_user: Any = None) -> list[str]:
    try:
        parsed = parse_id_number(raw)
    except ValidationError as exc:
        raise _field_error("id_number", exc) from None
    digest = id_hash(parsed.number)
    clash = _id_clash_error(acting_user, digest, person.pk)
    if clash is not None:
        raise clash
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


def _certificate_of(id_number: str, certificate: str, holder: Any = None) -> tuple[int, int]:
    """(category, level) of a certificate number, which must carry the holder's ID number."""
    try:
        parsed = parse_certificate_number(certificate, holder=holder)
    except ValidationError as exc:
        raise _field_error("disability_certificate", exc) from None
    if parsed.id_number != id_number:
        raise ValidationError({"disability_certificate": _("残疾人证号前18位须与持证人身份证号码一致")})
    return parsed.category, parsed.level


def _check_certificate(person: Person, certificate: str) -> tuple[int, int]:
    return _certificate_of(person.id_number, certificate)


@dataclass
class PersonResult:
    person: Person
    warnings: list[str]


def household_count_members(household_ids: Iterable[int | None]) -> None:
    """Count again the registered members of these households (``Household.active_members``):
    every write that adds a person to a household, takes one out or deregisters one calls it, in
    its transaction, so that the count is always that of the persons."""
    from wushe.core.bulk import chunked

    ids = sorted({pk for pk in household_ids if pk})
    active = (
        Person.objects.filter(household=OuterRef("pk"), status=PersonStatus.ACTIVE)
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for chunk in chunked(ids):
        Household.objects.filter(pk__in=chunk).update(active_members=Coalesce(Subquery(active), Value(0)))


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
    warnings = _set_id_number(person, id_number, acting_user)
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
    except IntegrityError:  # registered meanwhile by someone else
        clash = _id_clash_error(acting_user, person.id_hash)
        raise clash or ValidationError({"id_number": _("该身份证号码已登记")}) from None
    _write_search_keys(person, fresh=True)
    household_count_members([person.household_id])
    start = valid_from or _today()
    for tag in tag_objs:
        PersonTag.objects.create(person=person, region=person.region, tag=tag, valid_from=start)
    if category_level:
        DisabilityCertificate.objects.create(
            person=person,
            region=region,
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
        warnings = _set_id_number(person, changes["id_number"], acting_user)
        if person.id_number != old:
            fields |= {"id_number", "id_hash", "id_masked", "birth_date", "sex"}
    if "phone" in changes:
        old_hash = person.phone_hash
        _set_phone(person, changes["phone"] or "")
        if person.phone_hash != old_hash:
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
    fields = ["region", "updated_at"]
    left = None
    if (
        person.household_id
        and person.relation_to_head != Relation.HEAD
        and person.household.region_id != region.pk
    ):  # type: ignore[union-attr]
        # a member moving away leaves the household (a household lives in one region)
        left = person.household_id
        person.household, person.relation_to_head = None, ""
        fields += ["household", "relation_to_head"]
    person._history_user = acting_user  # type: ignore[attr-defined]
    person.save(update_fields=fields)
    household_count_members([left])
    moved = [person.pk]
    if person.household_id and person.relation_to_head == Relation.HEAD:
        household = person.household
        assert household is not None
        household.region = region
        household._history_user = acting_user  # type: ignore[attr-defined]
        household.save(update_fields=["region"])
        for member in Person.objects.filter(household=household).exclude(pk=person.pk):
            member.region = region
            member._history_user = acting_user  # type: ignore[attr-defined]
            member.save(update_fields=["region", "updated_at"])
            moved.append(member.pk)
    # certificates and tags carry their holder's region (the figures read them without a join)
    DisabilityCertificate.objects.filter(person_id__in=moved).update(region=region)
    PersonTag.objects.filter(person_id__in=moved).update(region=region)
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
    household_count_members([person.household_id])
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
        PersonTag.objects.create(person=person, region=person.region, tag=tag, valid_from=day)


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
        person=person,
        region=person.region,
        category=category,
        level=level,
        issued_on=issued_on,
        valid_from=day,
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
    household_count_members([household.pk])
    household.refresh_from_db(fields=["active_members"])
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
    household_count_members([household.pk])
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


# ---- bulk writes (ledger imports) --------------------------------------------------------
#
# ``person_create`` checks one person and writes it with a dozen queries: right for a form,
# far too slow for a million-row ledger. The bulk path splits the same work in two:
# ``person_draft`` checks and derives everything without the database (so it can run in a
# worker process), and ``person_bulk_upsert`` writes whole batches with plain-row inserts
# (``wushe.core.bulk``: PostgreSQL COPY, SQLite executemany). History is recorded
# deliberately: every created person, certificate and tag gets its "+" history row in the same
# transaction (written as plain rows too), updates go through the ORM with
# ``bulk_history_create(update=True)``; the change reason names the import.


@dataclass(slots=True)
class SealedPerson:
    """The costly derived values of a draft: ciphertexts, masks and pinyin."""

    name_pinyin: str
    search_keys: tuple[str, ...]
    id_cipher: str
    id_masked: str
    phone_cipher: str
    phone_masked: str
    contact_phone_cipher: str

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # a plain tuple pickles several times faster than the slots' state (drafts cross a pipe
        # from the import's checking worker by the million)
        return SealedPerson, _SEALED_VALUES(self)


@dataclass(slots=True)
class PersonDraft:
    """A person checked for a bulk write (see :func:`person_draft`)."""

    region_id: int
    name: str
    id_number: str
    id_hash: str
    birth_date: datetime.date
    sex: str
    phone: str = ""
    phone_hash: str = ""
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    certificate: tuple[int, int] | None = None
    tag_ids: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    sealed: SealedPerson | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return PersonDraft, _DRAFT_VALUES(self)


_SEALED_VALUES = attrgetter(*(f.name for f in dataclass_fields(SealedPerson)))
_DRAFT_VALUES = attrgetter(*(f.name for f in dataclass_fields(PersonDraft)))


def person_draft(
    *,
    region_id: int,
    name: str,
    id_number: str,
    phone: str = "",
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    certificate: str = "",
    category_level: tuple[int, int] | None = None,
    tag_ids: Iterable[int] = (),
    today: datetime.date | None = None,
) -> PersonDraft:
    """Check one person with the rules of :func:`person_create`, touching no table.

    Raises ``ValidationError`` keyed by every field at fault (not only the first). Whether the
    ID number is already registered, and whether the region is in the actor's scope, are
    decided by :func:`person_bulk_upsert` for the whole batch. ``today`` (default: today) bounds
    birth dates; a bulk caller passes it once instead of asking the clock for every row.
    """
    errors: dict[str, list[str]] = {}

    def collect(exc: ValidationError) -> None:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)

    clean_name = None
    try:
        clean_name = _clean_name(name)
    except ValidationError as exc:
        collect(exc)
    parsed = None
    try:
        parsed = parse_id_number(id_number, today=today)
    except ValidationError as exc:
        errors.setdefault("id_number", []).extend(exc.messages)
    phone_number = contact_number = ""
    try:
        phone_number = _clean_phone("phone", phone)
    except ValidationError as exc:
        collect(exc)
    try:
        contact_number = _clean_phone("contact_phone", contact_phone)
    except ValidationError as exc:
        collect(exc)
    address = (address or "").strip()
    if len(address) > 200:
        errors.setdefault("address", []).append(_("住址不能超过200个字"))
    contact_name = (contact_name or "").strip()
    if len(contact_name) > 50:
        errors.setdefault("contact_name", []).append(_("联系人姓名不能超过50个字"))
    cert = category_level
    if certificate and parsed is not None:
        try:
            cert = _certificate_of(parsed.number, certificate, parsed)
        except ValidationError as exc:
            collect(exc)
            cert = None
    if errors or parsed is None:
        raise ValidationError(errors)
    return PersonDraft(
        region_id=region_id,
        name=clean_name or "",
        id_number=parsed.number,
        id_hash=id_hash(parsed.number),
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        phone=phone_number or "",
        phone_hash=phone_hash(phone_number) if phone_number else "",
        address=address,
        contact_name=contact_name,
        contact_phone=contact_number or "",
        certificate=cert,
        tag_ids=tuple(dict.fromkeys(tag_ids)),
        warnings=parsed.warnings,
    )


def _clean_phone(field: str, raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalise_phone(raw)
    except ValidationError as exc:
        raise _field_error(field, exc) from None


def person_draft_seal(draft: PersonDraft) -> PersonDraft:
    """Encrypt the identifiers and derive pinyin and masks (the costly part of a write)."""
    if draft.sealed is None:
        draft.sealed = SealedPerson(
            name_pinyin=primary_pinyin(draft.name)[:200],
            search_keys=tuple(k[:200] for k in name_keys(draft.name)),
            id_cipher=crypto.encrypt(draft.id_number),
            id_masked=mask_id_number(draft.id_number),
            phone_cipher=crypto.encrypt(draft.phone) if draft.phone else "",
            phone_masked=mask_phone(draft.phone) if draft.phone else "",
            contact_phone_cipher=crypto.encrypt(draft.contact_phone) if draft.contact_phone else "",
        )
    return draft


@dataclass(slots=True)
class RegisteredPerson:
    """What a bulk writer compares a draft with (no decryption unless asked)."""

    id: int
    id_hash: str
    region_id: int
    region_path: str
    name: str
    phone_hash: str
    address: str
    contact_name: str
    status: str
    updated_at: datetime.datetime
    certificate: tuple[int, int] | None = None
    tag_ids: frozenset[int] = frozenset()
    contact_phone: str | None = None  # loaded only with ``with_contact_phone``
    household_id: int | None = None
    relation_to_head: str = ""


def person_bulk_registered(
    id_hashes: Iterable[str], *, with_contact_phone: bool = False
) -> dict[str, RegisteredPerson]:
    """The registered persons with these ID hashes, with their open certificate and tags."""
    from wushe.core.bulk import chunked, values_in

    hashes = list(dict.fromkeys(id_hashes))
    found: dict[str, RegisteredPerson] = {}
    columns = [
        "id",
        "id_hash",
        "region_id",
        "region__path",
        "name",
        "phone_hash",
        "address",
        "contact_name",
        "status",
        "updated_at",
        "household_id",
        "relation_to_head",
    ]
    if with_contact_phone:
        columns.append("contact_phone")
    registered: list[int] = []
    for chunk in chunked(hashes):  # which are registered at all (for a new ledger: few or none)
        registered += [pk for pk, _h in values_in(Person, "id_hash", chunk, "id_hash")]
    for chunk in chunked(registered):
        for row in Person.objects.filter(pk__in=chunk).values_list(*columns):
            person = RegisteredPerson(*row[:10])
            person.household_id, person.relation_to_head = row[10], row[11]
            if with_contact_phone:
                person.contact_phone = row[12] or ""
            found[person.id_hash] = person
    by_id = {p.id: p for p in found.values()}
    ids = list(by_id)
    tags: dict[int, set[int]] = {}
    for chunk in chunked(ids):
        for pid, category, level in DisabilityCertificate.objects.filter(
            person_id__in=chunk, valid_to__isnull=True
        ).values_list("person_id", "category", "level"):
            by_id[pid].certificate = (category, level)
        for pid, tag_id in PersonTag.objects.filter(person_id__in=chunk, valid_to__isnull=True).values_list(
            "person_id", "tag_id"
        ):
            tags.setdefault(pid, set()).add(tag_id)
    for pid, tag_ids in tags.items():
        by_id[pid].tag_ids = frozenset(tag_ids)
    return found


BULK_FIELDS = ("name", "phone", "address", "contact_name", "contact_phone", "region", "certificate", "tags")


@dataclass(slots=True)
class PersonChange:
    """Apply ``fields`` (of ``BULK_FIELDS``) of ``draft`` to the registered person ``person_id``.
    Certificates and tags are only ever added to: a different certificate closes the open one."""

    person_id: int
    draft: PersonDraft
    fields: frozenset[str]


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    person_ids: dict[str, int] | None = None  # id_hash → id of the created persons


def _bulk_check_regions(acting_user: Any, region_ids: set[int]) -> None:
    if not region_ids:
        return
    regions = Region.objects.filter(pk__in=region_ids)
    if acting_user is not None:
        regions = regions.visible_to(acting_user)  # type: ignore[attr-defined]
    ok = set(regions.filter(level__in=PERSON_REGION_LEVELS).values_list("pk", flat=True))
    if ok != region_ids:
        raise ValidationError({"region": _("居民须登记到您管辖范围内的社区/村或网格")})


def _history_rows(
    model: type[Any],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    kind: str,
    user_id: int | None,
    reason: str,
    at: Any,
) -> None:
    """Plain "+" / "~" history rows of ``model`` for rows given as tuples in the order of
    ``columns`` (attnames, ``id`` included)."""
    from operator import itemgetter

    from wushe.core.bulk import insert_rows

    history = model.history.model
    tracked = [f.attname for f in history.tracked_fields]
    pick = itemgetter(*(list(columns).index(c) for c in tracked))
    history_columns = [*tracked, "history_date", "history_change_reason", "history_type", "history_user_id"]
    tail = (at, reason[:100], kind, user_id)
    insert_rows(history, history_columns, (pick(r) + tail for r in rows))


PERSON_INSERT_COLUMNS = (
    "region_id",
    "household_id",
    "relation_to_head",
    "name",
    "name_pinyin",
    "id_number",
    "id_hash",
    "id_masked",
    "birth_date",
    "sex",
    "phone",
    "phone_hash",
    "phone_masked",
    "address",
    "contact_name",
    "contact_phone",
    "status",
    "status_changed_on",
    "status_note",
    "consent_sensitive",
    "consent_on",
    "created_at",
    "updated_at",
)


def _persons_insert(drafts: Sequence[PersonDraft], *, now: datetime.datetime) -> list[tuple[Any, ...]]:
    """Insert the drafts as persons; their rows as tuples of ``PERSON_INSERT_COLUMNS``."""
    from wushe.core.bulk import insert_rows

    active = PersonStatus.ACTIVE.value
    values = []
    for d in drafts:
        s = d.sealed if d.sealed is not None else person_draft_seal(d).sealed
        assert s is not None
        values.append(
            (
                d.region_id,
                None,
                "",
                d.name,
                s.name_pinyin,
                s.id_cipher,
                d.id_hash,
                s.id_masked,
                d.birth_date,
                d.sex,
                s.phone_cipher,
                d.phone_hash,
                s.phone_masked,
                d.address,
                d.contact_name,
                s.contact_phone_cipher,
                active,
                None,
                "",
                False,
                None,
                now,
                now,
            )
        )
    insert_rows(Person, PERSON_INSERT_COLUMNS, values)
    return values


@transaction.atomic
def person_bulk_upsert(
    *,
    acting_user: Any,
    creates: Sequence[PersonDraft] = (),
    changes: Sequence[PersonChange] = (),
    on: datetime.date | None = None,
    change_reason: str = "",
) -> BulkResult:
    """Register ``creates`` and apply ``changes`` in one transaction, with their history.

    The caller has matched the drafts against the registry (:func:`person_bulk_registered`):
    a draft whose ID number is registered meanwhile fails the whole call on the unique index,
    and nothing of it is kept.
    """
    from wushe.core.bulk import chunked, ids_after, insert_rows, max_id

    require_perm(acting_user, MANAGE_PERSONS)
    _bulk_check_regions(
        acting_user,
        {d.region_id for d in creates} | {c.draft.region_id for c in changes if "region" in c.fields},
    )
    if changes and acting_user is not None:  # the persons changed must be in scope where they are now
        current: set[int] = set()
        for chunk in chunked([c.person_id for c in changes]):
            current |= set(Person.objects.filter(pk__in=chunk).values_list("region_id", flat=True))
        visible = set(
            Region.objects.visible_to(acting_user).filter(pk__in=current).values_list("pk", flat=True)
        )
        if visible != current:
            raise ValidationError({"region": _("该区域不在您的管辖范围内")})
    now = timezone.now()
    day = on or _today()
    user_id = acting_user.pk if acting_user is not None else None
    result = BulkResult(person_ids={})
    if creates:
        before = max_id(Person)
        values = _persons_insert(creates, now=now)
        wanted = {d.id_hash for d in creates}
        ids = {h: pk for pk, h in ids_after(Person, before, "id_hash") if h in wanted}
        if len(ids) != len(wanted):
            raise IntegrityError("persons inserted in bulk could not be read back")
        _history_rows(
            Person,
            ("id", *PERSON_INSERT_COLUMNS),
            ((ids[v[6]], *v) for v in values),
            kind="+",
            user_id=user_id,
            reason=change_reason,
            at=now,
        )
        insert_rows(
            PersonSearchKey,
            ["person_id", "key"],
            ((ids[d.id_hash], key) for d in creates for key in d.sealed.search_keys),  # type: ignore[union-attr]
        )
        _bulk_open(creates, ids, day=day, now=now, user_id=user_id, reason=change_reason)
        result.created = len(creates)
        result.person_ids = ids
    if changes:
        _bulk_change(changes, acting_user=acting_user, day=day, now=now, reason=change_reason)
        result.updated = len(changes)
    return result


def _bulk_open(
    drafts: Sequence[PersonDraft],
    ids: dict[str, int],
    *,
    day: datetime.date,
    now: datetime.datetime,
    user_id: int | None,
    reason: str,
) -> None:
    """Open certificates and tags of freshly written persons, with their "+" history."""
    from wushe.core.bulk import ids_after, insert_rows, max_id

    cert_columns = ("person_id", "region_id", "category", "level", "issued_on", "valid_from", "valid_to")
    certs = [
        (ids[d.id_hash], d.region_id, d.certificate[0], d.certificate[1], None, day, None)
        for d in drafts
        if d.certificate
    ]
    if certs:
        before = max_id(DisabilityCertificate)
        insert_rows(DisabilityCertificate, cert_columns, certs)
        new_ids = {p: pk for pk, p in ids_after(DisabilityCertificate, before, "person_id")}
        _history_rows(
            DisabilityCertificate,
            ("id", *cert_columns),
            ((new_ids[c[0]], *c) for c in certs),
            kind="+",
            user_id=user_id,
            reason=reason,
            at=now,
        )
    tag_columns = ("person_id", "region_id", "tag_id", "valid_from", "valid_to")
    tags = [(ids[d.id_hash], d.region_id, t, day, None) for d in drafts for t in d.tag_ids]
    if tags:
        before = max_id(PersonTag)
        insert_rows(PersonTag, tag_columns, tags)
        tag_ids = {(p, t): pk for pk, p, t in ids_after(PersonTag, before, "person_id", "tag_id")}
        _history_rows(
            PersonTag,
            ("id", *tag_columns),
            ((tag_ids[(t[0], t[2])], *t) for t in tags),
            kind="+",
            user_id=user_id,
            reason=reason,
            at=now,
        )


def _bulk_change(
    changes: Sequence[PersonChange],
    *,
    acting_user: Any,
    day: datetime.date,
    now: datetime.datetime,
    reason: str,
) -> None:
    from wushe.core.bulk import chunked

    persons = Person.objects.in_bulk([c.person_id for c in changes])
    fields: set[str] = {"updated_at"}
    renamed: list[Person] = []
    moved: dict[int, list[int]] = {}
    for change in changes:
        person, d = persons[change.person_id], change.draft
        if "name" in change.fields:
            person.name, person.name_pinyin = d.name, primary_pinyin(d.name)[:200]
            fields |= {"name", "name_pinyin"}
            renamed.append(person)
        if "phone" in change.fields:
            person.phone, person.phone_hash = d.phone, d.phone_hash
            person.phone_masked = mask_phone(d.phone) if d.phone else ""
            fields |= {"phone", "phone_hash", "phone_masked"}
        for name in ("address", "contact_name", "contact_phone"):
            if name in change.fields:
                setattr(person, name, getattr(d, name))
                fields.add(name)
        if "region" in change.fields and person.region_id != d.region_id:
            person.region_id = d.region_id
            moved.setdefault(d.region_id, []).append(person.pk)
            fields.add("region")
        person.updated_at = now
        person._history_user = acting_user  # type: ignore[attr-defined]
    objs = list(persons.values())
    Person.objects.bulk_update(objs, sorted(fields), batch_size=500)
    Person.history.bulk_history_create(  # type: ignore[attr-defined]
        objs, update=True, default_user=acting_user, default_change_reason=reason[:100], default_date=now
    )
    for region_id, person_ids in moved.items():
        for chunk in chunked(person_ids):
            DisabilityCertificate.objects.filter(person_id__in=chunk).update(region_id=region_id)
            PersonTag.objects.filter(person_id__in=chunk).update(region_id=region_id)
    if renamed:
        PersonSearchKey.objects.filter(person__in=renamed).delete()
        PersonSearchKey.objects.bulk_create(
            [PersonSearchKey(person=p, key=k[:200]) for p in renamed for k in name_keys(p.name)]
        )
    for change in changes:
        person, d = persons[change.person_id], change.draft
        if "certificate" in change.fields and d.certificate:
            current = person.certificates.filter(valid_to__isnull=True).first()
            if current is not None:
                current._history_user = acting_user  # type: ignore[attr-defined]
                current._change_reason = reason[:100]  # type: ignore[attr-defined]
                if current.valid_from >= day:
                    current.delete()
                else:
                    current.valid_to = day
                    current.save(update_fields=["valid_to"])
            cert = DisabilityCertificate(
                person=person,
                region_id=person.region_id,
                category=d.certificate[0],
                level=d.certificate[1],
                valid_from=day,
            )
            cert._history_user = acting_user  # type: ignore[attr-defined]
            cert._change_reason = reason[:100]  # type: ignore[attr-defined]
            cert.save()
        if "tags" in change.fields:
            open_tags = set(person.tags.filter(valid_to__isnull=True).values_list("tag_id", flat=True))
            for tag_id in d.tag_ids:
                if tag_id not in open_tags:
                    row = PersonTag(person=person, region_id=person.region_id, tag_id=tag_id, valid_from=day)
                    row._history_user = acting_user  # type: ignore[attr-defined]
                    row._change_reason = reason[:100]  # type: ignore[attr-defined]
                    row.save()


# ---- households from ledgers (户主身份证号 / 与户主关系) ----------------------------------------


@dataclass(slots=True)
class HouseholdLink:
    """``member`` belongs to the household headed by ``head`` (both ID hashes; the same hash
    for the head's own row) with ``relation``; ``key`` is the caller's reference (a row number)."""

    member: str
    head: str
    relation: str
    key: Any = None


@transaction.atomic
def household_bulk_link(
    *, acting_user: Any, links: Sequence[HouseholdLink], change_reason: str = ""
) -> dict[Any, str]:
    """Put registered persons into their head's household, opening it for a head who has none.

    Links that already hold change nothing (a ledger imported twice). A link that cannot be made
    is left out and comes back as ``{key: reason}``: the head not registered (or not active), a
    member registered in another region than the head's household (a household lives in one
    community or grid), a member already in another household, a head who is a member of
    another household. Everything else is written with its history in one transaction.
    """
    from wushe.core.bulk import chunked

    require_perm(acting_user, MANAGE_PERSONS)
    if not links:
        return {}
    hashes = list({h for link in links for h in (link.member, link.head)})
    persons: dict[str, Person] = {}
    for chunk in chunked(hashes):
        for person in Person.objects.filter(id_hash__in=chunk).only(
            "id", "id_hash", "name", "region_id", "household_id", "relation_to_head", "status", "address"
        ):
            persons[person.id_hash] = person
    if acting_user is not None:
        region_ids = {p.region_id for p in persons.values()}
        visible = set(
            Region.objects.visible_to(acting_user).filter(pk__in=region_ids).values_list("pk", flat=True)
        )  # type: ignore[attr-defined]
        if visible != region_ids:
            raise ValidationError({"region": _("该区域不在您的管辖范围内")})
    failures: dict[Any, str] = {}
    household_region: dict[int, int] = dict(
        Household.objects.filter(
            pk__in={p.household_id for p in persons.values() if p.household_id}
        ).values_list("pk", "region_id")
    )
    # 1. which links can be made: the household is the head's (or the one the head will open,
    # in the head's region)
    made: list[tuple[HouseholdLink, Person, Person]] = []
    for link in links:
        head, member = persons.get(link.head), persons.get(link.member)
        if head is None or head.status != PersonStatus.ACTIVE:
            failures[link.key] = _("户主未在登记库中登记（或已不在册），未能入户")
        elif head.household_id and head.relation_to_head != Relation.HEAD:
            failures[link.key] = _("户主“%(n)s”是另一户的成员，未能入户") % {"n": head.name}
        elif member is None:
            failures[link.key] = _("本行居民未登记，未能入户")
        elif member is head:
            made.append((link, head, member))
        elif member.household_id and member.household_id != head.household_id:
            failures[link.key] = _("该居民已属于另一户，未能入户：请先在居民档案中移出原户")
        elif member.region_id != household_region.get(head.household_id or 0, head.region_id):
            failures[link.key] = _("与户主“%(n)s”不在同一社区/网格，未能入户") % {"n": head.name}
        else:
            made.append((link, head, member))
    # 2. every head of a link made heads a household (a new one when the head has none)
    opened: dict[int, Household] = {}
    for _link, head, _member in made:
        if not head.household_id and head.pk not in opened:
            opened[head.pk] = Household(region_id=head.region_id, address=head.address[:200])
    changed: dict[int, Person] = {}
    if opened:
        created = Household.objects.bulk_create(list(opened.values()))
        Household.history.bulk_history_create(  # type: ignore[attr-defined]
            created, default_user=acting_user, default_change_reason=change_reason[:100]
        )
        heads = {p.pk: p for _l, p, _m in made}
        for head_pk, household in opened.items():
            head = heads[head_pk]
            head.household_id, head.relation_to_head = household.pk, Relation.HEAD
            changed[head.pk] = head
    # 3. members join (a head's own row only confirms the head)
    for link, head, member in made:
        if member is head:
            continue
        relation = link.relation if link.relation and link.relation != Relation.HEAD else Relation.OTHER
        if member.household_id == head.household_id and member.relation_to_head == relation:
            continue
        member.household_id, member.relation_to_head = head.household_id, relation
        changed[member.pk] = member
    if changed:
        now = timezone.now()
        objs = list(changed.values())
        for person in objs:
            person.updated_at = now
            person._history_user = acting_user  # type: ignore[attr-defined]
        Person.objects.bulk_update(objs, ["household", "relation_to_head", "updated_at"], batch_size=500)
        household_count_members(p.household_id for p in objs)
        full = [p for chunk in chunked([p.pk for p in objs]) for p in Person.objects.filter(pk__in=chunk)]
        Person.history.bulk_history_create(  # type: ignore[attr-defined]
            full,
            update=True,
            default_user=acting_user,
            default_change_reason=change_reason[:100],
            default_date=now,
        )
    return failures
