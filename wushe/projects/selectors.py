"""Reads of the 项目清单, scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404

from .models import Project

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


@dataclass
class ProjectFilters:
    """The one filter definition of the project list (page and API)."""

    q: str = ""
    kind: str = ""
    region: Region | None = None
    organization: int | None = None


def project_list(*, user: AnyUser, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    f = filters or ProjectFilters()
    qs = Project.objects.visible_to(user).select_related("region", "organization")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.organization:
        qs = qs.filter(organization_id=f.organization)
    if f.q:
        qs = qs.filter(name__icontains=f.q.strip())
    return qs.annotate(need_count=Count("needs", distinct=True)).order_by("-start_on", "name", "id")


def get_project_for_user(*, user: AnyUser, pk: int | str) -> Project:
    return get_visible_or_404(
        Project.objects.select_related("region", "organization").prefetch_related(
            "categories", "resources", "resources__provider"
        ),
        user,
        pk=pk,
    )


def projects_in_period(
    qs: QuerySet[Project], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Project]:
    """Projects running at some time within the period."""
    if start is not None:
        qs = qs.filter(end_on__gte=start)
    if end is not None:
        qs = qs.filter(start_on__lte=end)
    return qs
