"""Scoped reads of regions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Region, RegionLevel
from .scoping import get_visible_or_404, granted_paths

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def region_list(*, user: AnyUser, level: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.visible_to(user)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("path")


def region_roots_for_user(*, user: AnyUser) -> list[Region]:
    """The top regions of the user's grants (the regions a page starts from)."""
    paths = granted_paths(user)
    if paths is None:
        return list(Region.objects.filter(parent__isnull=True).order_by("code"))
    ids = {int(p.strip("/").split("/")[-1]) for p in paths}
    roots = [
        r
        for r in Region.objects.filter(id__in=ids)
        if not any(r.path != p and r.path.startswith(p) for p in paths)
    ]
    return sorted(roots, key=lambda r: r.code)


def get_region_for_user(*, user: AnyUser, code: str) -> Region:
    return get_visible_or_404(Region.objects.all(), user, code=code)


def region_resolve(*, code_or_name: str, user: AnyUser | None = None) -> Region:
    """A region by its code or its (unique) name; ``user=None`` means the operator's CLI."""
    qs = Region.objects.all() if user is None else Region.objects.visible_to(user)
    text = code_or_name.strip()
    matches = list(qs.filter(Q(code=text) | Q(name=text))[:2])
    if len(matches) != 1:
        raise Http404(text)
    return matches[0]


def communities_in(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(path__startswith=region.path, level=RegionLevel.COMMUNITY)
