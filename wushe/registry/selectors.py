"""Every read of the registry, scoped to the user through ``visible_to``."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Prefetch, Q, QuerySet, When, prefetch_related_objects
from django.utils import timezone

from wushe.core.models import Region, RegionLevel
from wushe.core.scoping import ScopedQuerySet, get_visible_or_404, granted_paths
from wushe.core.sensitive import contains_personal_number, personal_number_in
from wushe.core.validators import normalise_digits, normalise_phone

from .identity import id_hash, normalise_name, phone_hash
from .models import (
    DEFAULT_LEDGER_COLOURS,
    DisabilityCertificate,
    Household,
    HouseholdChange,
    HouseholdTag,
    LedgerColour,
    LedgerColourRule,
    Person,
    PersonSearchKey,
    PersonStatus,
    PersonTag,
    Relation,
)

if TYPE_CHECKING:
    from wushe.accounts.models import User
    from wushe.core.types import AnyUser

# Encrypted columns are decrypted on load: lists never load them.
LIST_DEFER = ("id_number", "phone", "contact_phone")


def masked_people(lookup: str) -> Prefetch[str, QuerySet[Person], str]:
    """Prefetch the persons at ``lookup`` (``person``, ``household__members``) without their
    encrypted columns: what other apps' lists (and drill-downs) show of people."""
    return Prefetch(lookup, queryset=Person.objects.defer(*LIST_DEFER))


_CJK = re.compile(r"[\u3400-\u9fff]")
_SENSITIVE = re.compile(r"^(?=(?:\D*\d){6})[0-9X+]{7,}$")  # at least six digits: a number, not pinyin


def is_sensitive_query(q: str) -> bool:
    """ID, certificate and phone numbers must never travel in a URL or a log line: the query
    is one (six digits or more), or has one inside (``身份证3716…``, ``tel:138…``)."""
    return bool(_SENSITIVE.match(normalise_digits(q or ""))) or contains_personal_number(q or "")


def colour_map() -> dict[int, str]:
    mapping = {int(k): str(v) for k, v in DEFAULT_LEDGER_COLOURS.items()}
    mapping.update({r.category: r.colour for r in LedgerColourRule.objects.all()})
    return mapping


def categories_of_colour(colour: str) -> list[int]:
    return [c for c, col in colour_map().items() if col == colour]


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
            qs = _search(qs, self.q)
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
            qs = qs.filter(id__in=_certificates_valid(self.as_of).filter(cert_q).values("person_id"))
        return qs


def _certificates_valid(as_of: datetime.date | None) -> QuerySet[DisabilityCertificate]:
    if as_of is None:
        return DisabilityCertificate.objects.filter(valid_to__isnull=True)
    return DisabilityCertificate.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=as_of), valid_from__lte=as_of
    )


PersonsQS = TypeVar("PersonsQS", bound=QuerySet[Person])


def _search(qs: PersonsQS, raw: str) -> PersonsQS:
    q = raw.strip()
    digits = normalise_digits(q)
    if not _SENSITIVE.match(digits) and (inside := personal_number_in(q)):
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
    if _CJK.search(q):
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


def get_household_for_user(*, user: AnyUser, pk: int | str) -> Household:
    qs = Household.objects.select_related("region", "region__parent").prefetch_related(
        Prefetch("members", queryset=Person.objects.defer(*LIST_DEFER).order_by(*MEMBER_ORDER))
    )
    return get_visible_or_404(qs, user, pk=pk)


# ---- households: named by their heads ----------------------------------------------------------

# a household's members: the head first, then the others from the eldest
MEMBER_ORDER = (Case(When(relation_to_head=Relation.HEAD, then=0), default=1), "birth_date", "id")
_HEAD_ONLY = ("id", "name", "household_id", "relation_to_head", "status")


def heads_prefetch(lookup: str = "") -> Prefetch[Any]:
    """Prefetch the heads of the households at ``lookup`` (``household``; ``""`` for a queryset
    of households) into ``heads``, which ``Household.head``, ``.name`` and ``str()`` read: a list
    names its households in one query, whatever its length."""
    path = f"{lookup}__members" if lookup else "members"
    return Prefetch(
        path,
        queryset=Person.objects.filter(relation_to_head=Relation.HEAD).only(*_HEAD_ONLY).order_by("id"),
        to_attr="heads",
    )


def named_households(lookup: str) -> list[Any]:
    """The prefetches that name the households at ``lookup`` (``household``): their heads and
    regions, two queries for a page of records, whatever its length."""
    return [f"{lookup}__region", heads_prefetch(lookup)]


def with_heads(households: list[Household]) -> list[Household]:
    """Load the heads of a page of households (one query) so that naming them asks nothing more."""
    prefetch_related_objects(households, heads_prefetch())
    return households


def household_members(*, user: AnyUser, household: Household) -> list[Person]:
    """The members of a household the user may see, the head first, each with its certificate in
    force and ledger colour (three queries, read once per household and user)."""
    cached = getattr(household, "_visible_members", None)
    if cached is not None and cached[0] == getattr(user, "pk", None):
        return list(cached[1])
    members = with_current_certificates(
        list(
            Person.objects.visible_to(user)
            .filter(household=household)
            .defer(*LIST_DEFER)
            .order_by(*MEMBER_ORDER)
        )
    )
    household.heads = [m for m in members if m.relation_to_head == Relation.HEAD]
    household._visible_members = (getattr(user, "pk", None), members)  # type: ignore[attr-defined]
    return list(members)


def household_tag_rows(*, user: AnyUser, household_id: int) -> list[HouseholdTag]:
    """A household's tags, those in force first, then the ended ones (newest first)."""
    rows = HouseholdTag.objects.visible_to(user).filter(household_id=household_id).select_related("tag")
    return sorted(rows, key=lambda r: (r.valid_to is not None, -r.valid_from.toordinal()))


def member_open_tags(*, user: AnyUser, household: Household) -> list[tuple[Person, list[str]]]:
    """Each member's tags in force (one query): which of them is 低保, 残疾人 …"""
    rows = (
        PersonTag.objects.visible_to(user)
        .filter(person__household=household, valid_to__isnull=True)
        .select_related("tag", "person")
        .only("person", "tag", "tag__name", "tag__sort", "person__name", "person__name_pinyin")
        .order_by("person__name_pinyin", "person_id", "tag__sort")
    )
    grouped: dict[int, tuple[Person, list[str]]] = {}
    for row in rows:
        grouped.setdefault(row.person_id, (row.person, []))[1].append(row.tag.name)
    return list(grouped.values())


def colour_labels() -> dict[str, str]:
    return {c.value: str(c.label) for c in LedgerColour}


@dataclass
class HouseholdFilters:
    """The one filter definition of the household list (API): the head's name or pinyin, a region."""

    q: str = ""
    region: Region | None = None


def household_list(*, user: AnyUser, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    """Households in scope with a registered member, newest first, their heads prefetched; by the
    head's name or pinyin (an ID or phone number finds nobody here: it searches in a POST)."""
    f = filters or HouseholdFilters()
    qs = Household.objects.visible_to(user).select_related("region", "region__parent")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.q:
        if is_sensitive_query(f.q):
            return qs.none()
        heads = _search(Person.objects.filter(relation_to_head=Relation.HEAD), f.q)
        qs = qs.filter(id__in=heads.values("household_id"))
    return qs.prefetch_related(heads_prefetch()).order_by("-id")


def household_pick(*, user: AnyUser, q: str, limit: int = 10) -> list[Household]:
    """Households a worker may pick (to join or move into), by the head's name or pinyin."""
    if not (q or "").strip():
        return []
    return list(household_list(user=user, filters=HouseholdFilters(q=q.strip()[:60]))[:limit])


def household_changes(*, household: Household, limit: int = 20) -> list[HouseholdChange]:
    """The latest changes of a household's members (who, what, when, by whom; two queries)."""
    return list(
        household.changes.select_related("person", "by", "other", "other__region")
        .defer(*(f"person__{f}" for f in LIST_DEFER))
        .prefetch_related(heads_prefetch("other"))
        .order_by("-on", "-id")[:limit]
    )


def open_tags(person: Person) -> list[str]:
    return [pt.tag.name for pt in person.tags.all() if pt.valid_to is None]


def current_certificate(person: Person) -> DisabilityCertificate | None:
    return next((c for c in person.certificates.all() if c.valid_to is None), None)


# ---- the four-colour ledger --------------------------------------------------------------


def _ledger_certificates(
    *, user: AnyUser | None, region: Region, as_of: datetime.date | None, ids: list[int] | None = None
) -> QuerySet[DisabilityCertificate]:
    """Certificates in force on ``as_of`` (today if None). Deregistering a person closes their
    certificates on that day, so no join to persons is needed (certificate_ledger_idx). ``ids``:
    the region's subtree, if the caller has read it (``ScopedQuerySet.in_region``)."""
    qs = DisabilityCertificate.objects.all().visible_in(user, region, ids)
    if as_of is None:
        return qs.filter(valid_to__isnull=True)
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of), valid_from__lte=as_of)


@dataclass
class LedgerCounts:
    by_colour: dict[str, int]
    by_category: dict[int, int]
    by_level: dict[int, int]
    by_community: list[tuple[Region, dict[str, int], int]]
    total: int


def ledger_counts(
    *, user: AnyUser | None, region: Region, as_of: datetime.date | None = None, ids: list[int] | None = None
) -> LedgerCounts:
    """Counts by colour, category, level and community — two grouped queries, whatever the size."""
    mapping = colour_map()
    grouped = (
        _ledger_certificates(user=user, region=region, as_of=as_of, ids=ids)
        .values_list("category", "level", "region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_colour = {c.value: 0 for c in LedgerColour}
    by_category = {c: 0 for c in range(1, 8)}
    by_level = {lv: 0 for lv in range(1, 5)}
    per_region: dict[int, Counter[str]] = {}
    for cat, lvl, reg, n in grouped:
        colour = mapping.get(cat, LedgerColour.YELLOW)
        by_colour[colour] += n
        by_category[cat] += n
        by_level[lvl] += n
        per_region.setdefault(reg, Counter())[colour] += n
    regions = Region.objects.in_bulk(list(per_region))
    communities: dict[int, Region] = {}
    per_community: dict[int, Counter[str]] = {}
    parents = Region.objects.in_bulk(
        [r.parent_id for r in regions.values() if r.level == RegionLevel.GRID and r.parent_id]
    )
    for reg_id, counter in per_region.items():
        r = regions[reg_id]
        community = parents.get(r.parent_id, r) if r.level == RegionLevel.GRID and r.parent_id else r
        communities[community.pk] = community
        per_community.setdefault(community.pk, Counter()).update(counter)
    by_community = sorted(
        (
            (
                communities[cid],
                {c.value: counter.get(c.value, 0) for c in LedgerColour},
                sum(counter.values()),
            )
            for cid, counter in per_community.items()
        ),
        key=lambda t: t[0].code,
    )
    return LedgerCounts(
        by_colour=by_colour,
        by_category=by_category,
        by_level=by_level,
        by_community=by_community,
        total=sum(by_colour.values()),
    )


def ledger_rows(
    *,
    user: AnyUser | None,
    region: Region,
    colour: str = "",
    category: int | None = None,
    level: int | None = None,
    community: Region | None = None,
    as_of: datetime.date | None = None,
) -> QuerySet[DisabilityCertificate]:
    """Certificates on the ledger (one row a disabled person), with person and region loaded."""
    qs = _ledger_certificates(user=user, region=community or region, as_of=as_of)
    if colour:
        qs = qs.filter(category__in=categories_of_colour(colour))
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(level=level)
    return (
        qs.select_related("person", "person__region", "person__region__parent")
        .defer(*(f"person__{f}" for f in LIST_DEFER))
        .order_by("region__code", "category", "person__name_pinyin", "id")
    )


# ---- reads for the web pages -------------------------------------------------------------


def _scoped_regions(user: AnyUser | None) -> ScopedQuerySet[Region]:
    return Region.objects.all() if user is None else Region.objects.visible_to(user)


def region_picker(*, user: AnyUser | None, levels: tuple[str, ...]) -> list[Region]:
    """Regions of the given levels in the user's scope, in tree order (codes extend their parent's)."""
    return list(_scoped_regions(user).filter(level__in=levels).select_related("parent").order_by("code"))


def tag_list() -> list[Any]:
    """The configured group tags (configuration, not personal data)."""
    from .models import Tag

    return list(Tag.objects.order_by("sort", "code"))


def person_counts_by_community(*, user: AnyUser | None, region: Region) -> list[tuple[Region, int]]:
    """Active persons per community of ``region`` (grids folded into their community): three queries."""
    from django.db.models import Count

    regions = _scoped_regions(user).in_region(region)
    communities = {r.pk: r for r in regions.filter(level=RegionLevel.COMMUNITY)}
    grid_parent = dict(regions.filter(level=RegionLevel.GRID).values_list("id", "parent_id"))
    people = Person.objects.all() if user is None else Person.objects.visible_to(user)
    counts = (
        people.in_region(region)
        .filter(status=PersonStatus.ACTIVE)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
        .order_by()
    )
    totals: Counter[int] = Counter({pk: 0 for pk in communities})
    for region_id, n in counts:
        if region_id in communities:
            totals[region_id] += n
        elif grid_parent.get(region_id) in communities:
            totals[grid_parent[region_id]] += n
        else:  # ``region`` is itself a grid (or a community's grid outside the subtree)
            communities.setdefault(region.pk, region)
            totals[region.pk] += n
    return sorted(((communities[pk], n) for pk, n in totals.items()), key=lambda t: t[0].code)


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
    for newer, older in zip(records, [*records[1:], None], strict=True):
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
