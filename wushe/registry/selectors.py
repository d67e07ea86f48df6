"""Every read of the registry, scoped to the user through ``visible_to``."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from wushe.core.models import Region, RegionLevel
from wushe.core.scoping import get_visible_or_404
from wushe.core.validators import normalise_digits

from .models import (
    DEFAULT_LEDGER_COLOURS,
    DisabilityCertificate,
    Household,
    LedgerColour,
    LedgerColourRule,
    Person,
    PersonSearchKey,
    PersonStatus,
    PersonTag,
)
from .services import id_hash, phone_hash

# Encrypted columns are decrypted on load: lists never load them.
LIST_DEFER = ("id_number", "phone", "contact_phone")

_CJK = re.compile(r"[\u3400-\u9fff]")
_SENSITIVE = re.compile(r"^[0-9X+]{7,}$")


def is_sensitive_query(q: str) -> bool:
    """ID, certificate and phone numbers must never travel in a URL or a log line."""
    return bool(_SENSITIVE.match(normalise_digits(q or "")))


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
    extra: dict[str, Any] = field(default_factory=dict)

    def apply(self, qs: QuerySet[Person]) -> QuerySet[Person]:
        if self.region is not None:
            qs = qs.in_region(self.region)  # type: ignore[attr-defined]
        if self.status:
            qs = qs.filter(status=self.status)
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


def _search(qs: QuerySet[Person], raw: str) -> QuerySet[Person]:
    q = raw.strip()
    digits = normalise_digits(q)
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
            except Exception:  # noqa: BLE001 — an invalid number simply finds nobody
                return qs.none()
        return qs.filter(phone_hash=phone_hash(digits.removeprefix("+86")))
    if _CJK.search(q):
        return qs.filter(name__startswith=q)
    key = re.sub(r"[^a-z]", "", q.lower())
    if not key:
        return qs.none()
    return qs.filter(id__in=PersonSearchKey.objects.filter(key__startswith=key).values("person_id"))


def person_list(*, user: Any, filters: PersonFilters | None = None) -> QuerySet[Person]:
    qs = Person.objects.visible_to(user).defer(*LIST_DEFER).select_related("region", "region__parent")
    qs = (filters or PersonFilters()).apply(qs)
    order = (
        ["name_pinyin", "id"]
        if filters and filters.q and not _CJK.search(filters.q)
        else ["region__code", "name_pinyin", "id"]
    )
    return qs.order_by(*order)


def get_person_for_user(*, user: Any, pk: int | str) -> Person:
    qs = Person.objects.select_related("region", "region__parent", "household").prefetch_related(
        Prefetch("tags", queryset=PersonTag.objects.select_related("tag").order_by("valid_from")),
        Prefetch("certificates", queryset=DisabilityCertificate.objects.order_by("-valid_from")),
    )
    return get_visible_or_404(qs, user, pk=pk)


def get_household_for_user(*, user: Any, pk: int | str) -> Household:
    qs = Household.objects.select_related("region").prefetch_related(
        Prefetch(
            "members", queryset=Person.objects.defer(*LIST_DEFER).order_by("relation_to_head", "birth_date")
        )
    )
    return get_visible_or_404(qs, user, pk=pk)


def open_tags(person: Person) -> list[str]:
    return [pt.tag.name for pt in person.tags.all() if pt.valid_to is None]


def current_certificate(person: Person) -> DisabilityCertificate | None:
    return next((c for c in person.certificates.all() if c.valid_to is None), None)


# ---- the four-colour ledger --------------------------------------------------------------


def _ledger_certificates(
    *, user: Any, region: Region, as_of: datetime.date | None
) -> QuerySet[DisabilityCertificate]:
    qs = DisabilityCertificate.objects.all()
    if user is not None:
        qs = qs.visible_to(user)
    qs = qs.in_region(region)
    day = as_of or timezone.localdate()
    qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)
    # a person counts while in the registry on that day
    return qs.filter(Q(person__status=PersonStatus.ACTIVE) | Q(person__status_changed_on__gt=day))


@dataclass
class LedgerCounts:
    by_colour: dict[str, int]
    by_category: dict[int, int]
    by_level: dict[int, int]
    by_community: list[tuple[Region, dict[str, int], int]]
    total: int


def ledger_counts(*, user: Any, region: Region, as_of: datetime.date | None = None) -> LedgerCounts:
    """Counts by colour, category, level and community — two grouped queries, whatever the size."""
    mapping = colour_map()
    rows = (
        _ledger_certificates(user=user, region=region, as_of=as_of)
        .values_list("category", "level", "person__region_id")
        .order_by()
    )
    grouped: Counter[tuple[int, int, int]] = Counter()
    from django.db.models import Count

    for cat, lvl, reg, n in rows.annotate(n=Count("id")).values_list(
        "category", "level", "person__region_id", "n"
    ):
        grouped[(cat, lvl, reg)] += n
    by_colour = {c.value: 0 for c in LedgerColour}
    by_category = {c: 0 for c in range(1, 8)}
    by_level = {lv: 0 for lv in range(1, 5)}
    per_region: dict[int, Counter[str]] = {}
    for (cat, lvl, reg), n in grouped.items():
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
        community = parents.get(r.parent_id, r) if r.level == RegionLevel.GRID else r  # type: ignore[arg-type]
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
    user: Any,
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
        .order_by("person__region__code", "category", "person__name_pinyin", "id")
    )
