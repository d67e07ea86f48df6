"""The bulk write: whole batches of checked drafts registered or applied in one transaction, as
plain-row inserts (``wushe.core.bulk``: PostgreSQL COPY, SQLite executemany) with their history
rows written alongside (see ``drafts.py``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.bulk import chunked, ids_after, insert_rows, max_id
from wushe.core.history import actor, record_actor, record_reason
from wushe.core.models import Region
from wushe.core.permissions import require_perm

from ..identity import derive
from ..models import DisabilityCertificate, Person, PersonSearchKey, PersonStatus, PersonTag
from ._rules import PERSON_REGION_LEVELS, today
from .drafts import PersonDraft, draft_sealed

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


def _bulk_check_regions(acting_user: User | None, region_ids: set[int]) -> None:
    if not region_ids:
        return
    regions = Region.objects.filter(pk__in=region_ids)
    if acting_user is not None:
        regions = regions.visible_to(acting_user)
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
    "registered_on",
    "created_at",
    "updated_at",
)


def _persons_insert(
    drafts: Sequence[PersonDraft], *, now: datetime.datetime, day: datetime.date
) -> list[tuple[Any, ...]]:
    """Insert the drafts as persons (registered on their own day, else on ``day``); their rows
    as tuples of ``PERSON_INSERT_COLUMNS``."""
    active = PersonStatus.ACTIVE.value
    values = []
    for d in drafts:
        s = draft_sealed(d)
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
                d.registered_on or day,
                now,
                now,
            )
        )
    insert_rows(Person, PERSON_INSERT_COLUMNS, values)
    return values


@transaction.atomic
def person_bulk_upsert(
    *,
    acting_user: User | None,
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
    day = on or today()
    user_id = acting_user.pk if acting_user is not None else None
    result = BulkResult(person_ids={})
    if creates:
        before = max_id(Person)
        values = _persons_insert(creates, now=now, day=day)
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
            ((ids[d.id_hash], key) for d in creates for key in draft_sealed(d).search_keys),
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
    """Open certificates and tags of freshly written persons, with their "+" history: they hold
    from the person's day of registration (``day`` when the draft gives none)."""
    cert_columns = ("person_id", "region_id", "category", "level", "issued_on", "valid_from", "valid_to")
    certs = [
        (ids[d.id_hash], d.region_id, d.certificate[0], d.certificate[1], None, d.registered_on or day, None)
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
    tags = [(ids[d.id_hash], d.region_id, t, d.registered_on or day, None) for d in drafts for t in d.tag_ids]
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
    acting_user: User | None,
    day: datetime.date,
    now: datetime.datetime,
    reason: str,
) -> None:
    persons = Person.objects.in_bulk([c.person_id for c in changes])
    fields: set[str] = {"updated_at"}
    renamed: list[Person] = []
    moved: dict[int, list[int]] = {}
    for change in changes:
        person, d = persons[change.person_id], change.draft
        if "name" in change.fields:
            person.name, person.name_pinyin = d.name, derive(name=d.name).name_pinyin
            fields |= {"name", "name_pinyin"}
            renamed.append(person)
        if "phone" in change.fields:
            person.phone, person.phone_hash = d.phone, d.phone_hash
            person.phone_masked = derive(phone=d.phone).phone_masked
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
        record_actor(person, user=acting_user)
    objs = list(persons.values())
    Person.objects.bulk_update(objs, sorted(fields), batch_size=500)
    Person.history.bulk_history_create(
        objs,
        update=True,
        default_user=actor(acting_user),
        default_change_reason=reason[:100],
        default_date=now,
    )
    for region_id, person_ids in moved.items():
        for chunk in chunked(person_ids):
            DisabilityCertificate.objects.filter(person_id__in=chunk).update(region_id=region_id)
            PersonTag.objects.filter(person_id__in=chunk).update(region_id=region_id)
    if renamed:
        PersonSearchKey.objects.filter(person__in=renamed).delete()
        PersonSearchKey.objects.bulk_create(
            [PersonSearchKey(person=p, key=k) for p in renamed for k in derive(name=p.name).search_keys]
        )
    for change in changes:
        person, d = persons[change.person_id], change.draft
        if "certificate" in change.fields and d.certificate:
            current = person.certificates.filter(valid_to__isnull=True).first()
            if current is not None:
                record_actor(current, user=acting_user)
                record_reason(current, reason=reason)
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
            record_actor(cert, user=acting_user)
            record_reason(cert, reason=reason)
            cert.save()
        if "tags" in change.fields:
            open_tags = set(person.tags.filter(valid_to__isnull=True).values_list("tag_id", flat=True))
            for tag_id in d.tag_ids:
                if tag_id not in open_tags:
                    row = PersonTag(person=person, region_id=person.region_id, tag_id=tag_id, valid_from=day)
                    record_actor(row, user=acting_user)
                    record_reason(row, reason=reason)
                    row.save()
