"""Reads for the pages' pickers and the home page: regions and tags in scope, residents per
community."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.db.models import Count

from wushe.core.models import Region, RegionLevel
from wushe.core.scoping import ScopedQuerySet

from ..models import Person, PersonStatus, Tag

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _scoped_regions(user: AnyUser | None) -> ScopedQuerySet[Region]:
    return Region.objects.all() if user is None else Region.objects.visible_to(user)


def region_picker(*, user: AnyUser | None, levels: tuple[str, ...]) -> list[Region]:
    """Regions of the given levels in the user's scope, in tree order (codes extend their parent's)."""
    return list(_scoped_regions(user).filter(level__in=levels).select_related("parent").order_by("code"))


def tag_list() -> list[Tag]:
    """The configured group tags (configuration, not personal data)."""
    return list(Tag.objects.order_by("sort", "code"))


def person_counts_by_community(*, user: AnyUser | None, region: Region) -> list[tuple[Region, int]]:
    """Active persons per community of ``region`` (grids folded into their community): three queries."""
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
