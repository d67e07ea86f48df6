"""Reads of persons: the list and its one filter definition, the search (by name, pinyin, ID or
phone number), a person's page, the certificates in force, the change history."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from wushe.core.models import Region
from wushe.core.scoping import ScopedQuerySet, get_visible_or_404, granted_paths
from wushe.core.sensitive import personal_number_in
from wushe.core.validators import normalise_digits, normalise_phone

from ..identity import id_hash, normalise_name, phone_hash
from ..models import (
    DisabilityCertificate,
    LedgerColour,
    Person,
    PersonSearchKey,
    PersonStatus,
    PersonTag,
)
from .base import (
    CJK,
    LIST_DEFER,
    SENSITIVE,
    categories_of_colour,
    certificates_valid,
    colour_map,
    is_sensitive_query,
)

if TYPE_CHECKING:
    from wushe.accounts.models import User
    from wushe.core.types import AnyUser


@dataclass
class PersonFilters:
    """The one filter definition of the person list: page, API and export share it."""

    q: str = ""
    region: Region | None = None
    status: str = PersonStatus.ACTIVE
    tag: str = ""
    colour: str = ""
    category: int | None = None
    level: int | None = None
    disabled_only: bool = False
    as_of: datetime.date | None = None
    changed_days: int | None = None  # registered or status changed within the last N days
    extra: dict[str, Any] = field(default_factory=dict)

    def apply(self, qs: ScopedQuerySet[Person]) -> ScopedQuerySet[Person]:
        if self.region is not None:
            qs = qs.in_region(self.region)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.changed_days:
            qs = ledger_changed(qs, self.changed_days)
        if self.q:
            qs = search_persons(qs, self.q)
        if self.tag:
            qs = qs.filter(
                id__in=PersonTag.objects.filter(
                    Q(tag__code=self.tag) | Q(tag__name=self.tag), valid_to__isnull=True
                ).values("person_id")
            )
        cert_q = Q()
        if self.colour:
            cert_q &= Q(category__in=categories_of_colour(self.colour))
        if self.category:
            cert_q &= Q(category=self.category)
        if self.level:
            cert_q &= Q(level=self.level)
        if cert_q or self.disabled_only:
            qs = qs.filter(id__in=certificates_valid(self.as_of).filter(cert_q).values("person_id"))
        return qs


PersonsQS = TypeVar("PersonsQS", bound=QuerySet[Person])


def search_persons(qs: PersonsQS, raw: str) -> PersonsQS:
    q = raw.strip()
    digits = normalise_digits(q)
    if not SENSITIVE.match(digits) and (inside := personal_number_in(q)):
        q = digits = inside  # "身份证3716…号", "手机138…": search by the number itself
    if is_sensitive_query(q):
        if len(digits) == 20:
            return qs.filter(
                id_hash=id_hash(digits[:18]),
                certificates__category=int(digits[18]) if digits[18].isdigit() else 0,
                certificates__level=int(digits[19]) if digits[19].isdigit() else 0,
                certificates__valid_to__isnull=True,
            )
        if len(digits) in (15, 18):
            from wushe.core.validators import parse_id_number

            try:
                return qs.filter(id_hash=id_hash(parse_id_number(digits).number))
            except ValidationError:
                if len(digits) == 18:
                    return qs.none()  # an invalid ID number simply finds nobody
                # 15 digits may also be a phone written with 0086
        try:
            return qs.filter(phone_hash=phone_hash(normalise_phone(digits)))  # stored normalised
        except ValidationError:
            return qs.none()
    if CJK.search(q):
        return qs.filter(name__startswith=normalise_name(q))  # " 王 小" finds 王小明 as stored
    key = re.sub(r"[^a-z]", "", q.lower())
    if not key:
        return qs.none()
    return qs.filter(id__in=PersonSearchKey.objects.filter(key__startswith=key).values("person_id"))


def person_list(*, user: AnyUser, filters: PersonFilters | None = None) -> QuerySet[Person]:
    qs = Person.objects.visible_to(user).defer(*LIST_DEFER).select_related("region", "region__parent")
    qs = (filters or PersonFilters()).apply(qs)
    return qs.order_by("name_pinyin", "id")  # served by person_pinyin_order_idx


LEDGER_CHANGE_DAYS = 30


def ledger_changed(qs: PersonsQS, days: int, today: datetime.date | None = None) -> PersonsQS:
    """The people registered (登记入册) or whose status changed (迁出, 死亡, back to 在册) within
    the last ``days`` days, today included."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
    return qs.filter(Q(created_at__gte=start) | Q(status_changed_on__gte=since))


def ledger_changes_for(user: AnyUser) -> QuerySet[Person]:
    """To-do: the ledger's changes in the user's communities over the last ``LEDGER_CHANGE_DAYS``
    days (new residents to complete, people who left), the latest first; listed by
    ``/registry/persons/?status=all&changed=30``."""
    qs = person_list(user=user, filters=PersonFilters(status="", changed_days=LEDGER_CHANGE_DAYS))
    return qs.order_by("-updated_at", "-id")


def sees_registry(user: AnyUser) -> bool:
    """Whether the user may open people's pages at all (a region role, or a superuser); an
    organization's staff see the people referred to them by name, without a link."""
    return granted_paths(user) != []


def get_person_for_user(*, user: AnyUser, pk: int | str) -> Person:
    qs = (
        Person.objects.select_related("region", "region__parent", "household")
        .prefetch_related(
            Prefetch("tags", queryset=PersonTag.objects.select_related("tag").order_by("valid_from"))
        )
        .prefetch_related(
            Prefetch("certificates", queryset=DisabilityCertificate.objects.order_by("-valid_from"))
        )
    )
    return get_visible_or_404(qs, user, pk=pk)


def open_tags(person: Person) -> list[str]:
    return [pt.tag.name for pt in person.tags.all() if pt.valid_to is None]


def current_certificate(person: Person) -> DisabilityCertificate | None:
    return next((c for c in person.certificates.all() if c.valid_to is None), None)


def with_current_certificates(persons: list[Person]) -> list[Person]:
    """Give each person of a page ``open_certificate``, ``ledger_colour`` and ``ledger_colour_label``
    (two queries in all, whatever the page size)."""
    prefetch_related_objects(
        persons,
        Prefetch(
            "certificates",
            queryset=DisabilityCertificate.objects.filter(valid_to__isnull=True),
            to_attr="open_certificates",
        ),
    )
    mapping = colour_map() if persons else {}
    for person in persons:
        cert = person.open_certificates[0] if person.open_certificates else None
        person.open_certificate = cert
        person.ledger_colour = mapping.get(cert.category, "") if cert else ""
        person.ledger_colour_label = LedgerColour(person.ledger_colour).label if person.ledger_colour else ""
    return persons


# Columns kept only for lookup or display: a change shows under the field they derive from.
_HISTORY_HIDDEN = {"id_hash", "id_masked", "phone_hash", "phone_masked"}


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: User | None
    kind: str  # "+" created, "~" changed, "-" deleted
    fields: list[str]


def person_history(*, person: Person, limit: int = 20) -> list[HistoryEntry]:
    """The person's latest change records with the names of the fields each changed (no values)."""
    records = list(
        person.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries: list[HistoryEntry] = []
    # (a person loaded without any history row, as a bulk load before the history existed, has none)
    for i, newer in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else None
        if len(entries) == limit:
            break
        names: list[str] = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                if change.field in _HISTORY_HIDDEN:
                    continue
                names.append(str(getattr(Person._meta.get_field(change.field), "verbose_name", change.field)))
        entries.append(
            HistoryEntry(
                at=newer.history_date,
                user=newer.history_user,
                kind=newer.history_type,
                fields=list(dict.fromkeys(names)),
            )
        )
    return entries
