"""The bulk path's drafts: a person checked and derived without the database (so it can run in
an import's checking worker), sealed (encrypted, pinyin, masks) only when it is to be written;
and the registered persons a batch of drafts is matched against."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wushe.core import crypto
from wushe.core.bulk import chunked, values_in
from wushe.core.validators import parse_id_number

from ..identity import derive, normalise_name
from ..models import DisabilityCertificate, Person, PersonTag
from ._rules import certificate_of, check_registered_on, clean_name, clean_phone

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
        # a plain tuple pickles faster than the slots' state (docs/benchmarks.md; drafts cross a
        # pipe from the import's checking worker by the million)
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
    registered_on: datetime.date | None = None  # None: the day of the write
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
    registered_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> PersonDraft:
    """Check one person with the rules of :func:`person_create`, touching no table.

    Raises ``ValidationError`` keyed by every field at fault (not only the first). Whether the
    ID number is already registered, and whether the region is in the actor's scope, are
    decided by :func:`person_bulk_upsert` for the whole batch. ``today`` (default: today) bounds
    birth dates and the day of registration (``registered_on``, default: the day of the write);
    a bulk caller passes it once instead of asking the clock for every row.
    """
    errors: dict[str, list[str]] = {}

    def collect(exc: ValidationError) -> None:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)

    checked_name = None
    try:
        checked_name = clean_name(name)
    except ValidationError as exc:
        collect(exc)
    parsed = None
    try:
        parsed = parse_id_number(id_number, today=today)
    except ValidationError as exc:
        errors.setdefault("id_number", []).extend(exc.messages)
    phone_number = contact_number = ""
    try:
        phone_number = clean_phone("phone", phone)
    except ValidationError as exc:
        collect(exc)
    try:
        contact_number = clean_phone("contact_phone", contact_phone)
    except ValidationError as exc:
        collect(exc)
    address = (address or "").strip()
    if len(address) > 200:
        errors.setdefault("address", []).append(_("住址不能超过200个字"))
    contact_name = normalise_name(contact_name or "")
    if len(contact_name) > 50:
        errors.setdefault("contact_name", []).append(_("联系人姓名不能超过50个字"))
    cert = category_level
    if certificate and parsed is not None:
        try:
            cert = certificate_of(parsed.number, certificate, parsed)
        except ValidationError as exc:
            collect(exc)
            cert = None
    if registered_on is not None and parsed is not None:
        try:
            check_registered_on(registered_on, parsed.birth_date, on=today)
        except ValidationError as exc:
            collect(exc)
    if errors or parsed is None:
        raise ValidationError(errors)
    keys = derive(id_number=parsed.number, phone=phone_number)  # the hashes match the registry
    return PersonDraft(
        region_id=region_id,
        name=checked_name or "",
        id_number=parsed.number,
        id_hash=keys.id_hash,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        phone=phone_number or "",
        phone_hash=keys.phone_hash,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_number or "",
        certificate=cert,
        tag_ids=tuple(dict.fromkeys(tag_ids)),
        registered_on=registered_on,
        warnings=parsed.warnings,
    )


def person_draft_seal(draft: PersonDraft) -> PersonDraft:
    """Encrypt the identifiers and derive pinyin and masks (the costly part of a write)."""
    if draft.sealed is None:
        derived = derive(name=draft.name, id_number=draft.id_number, phone=draft.phone)
        draft.sealed = SealedPerson(
            name_pinyin=derived.name_pinyin,
            search_keys=derived.search_keys,
            id_cipher=crypto.encrypt(draft.id_number),
            id_masked=derived.id_masked,
            phone_cipher=crypto.encrypt(draft.phone) if draft.phone else "",
            phone_masked=derived.phone_masked,
            contact_phone_cipher=crypto.encrypt(draft.contact_phone) if draft.contact_phone else "",
        )
    return draft


def draft_sealed(draft: PersonDraft) -> SealedPerson:
    """``draft``'s sealed values (sealed now if it was not yet)."""
    sealed = person_draft_seal(draft).sealed
    assert sealed is not None
    return sealed


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
