"""The four-colour ledger (四色台账): counts by colour, category, level and community, and its
rows."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from wushe.core.models import Region, RegionLevel

from ..models import (
    DisabilityCertificate,
    LedgerColour,
)
from .base import (
    LIST_DEFER,
    categories_of_colour,
    colour_map,
    in_force,
)

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _ledger_certificates(
    *, user: AnyUser | None, region: Region, as_of: datetime.date | None, ids: list[int] | None = None
) -> QuerySet[DisabilityCertificate]:
    """Certificates in force on ``as_of`` (today if None). Deregistering a person closes their
    certificates on that day, so no join to persons is needed (certificate_ledger_idx). ``ids``:
    the region's subtree, if the caller has read it (``ScopedQuerySet.in_region``)."""
    return in_force(DisabilityCertificate.objects.all().visible_in(user, region, ids), as_of)


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
