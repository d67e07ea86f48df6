"""Scoped reads of regions and of the user's own exports made in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import ExportJob, Region, RegionLevel
from .scoping import covers, get_visible_or_404, granted_paths

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


def export_jobs_for(*, user: AnyUser) -> QuerySet[ExportJob]:
    """The user's own exports made in the background, newest first (nobody sees another's)."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user).select_related("region")


def get_export_job_for_user(*, user: AnyUser, pk: int) -> ExportJob:
    """One of the user's own exports, 404 for anyone else's and for one of a region the user no
    longer holds (a grant withdrawn after the export was asked for)."""
    job = export_jobs_for(user=user).filter(pk=pk).first()
    if job is None or (job.region is not None and not covers(user, job.region)):
        raise Http404
    return job
