"""Reads of visits, scoped to the user; coverage (households not visited for N days); the record
sets the visit figures count."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404
from wushe.registry.models import Household, Person, Relation
from wushe.registry.selectors import heads_prefetch
from wushe.registry.subjects import Subject, subject_q

from .models import Visit

if TYPE_CHECKING:
    from wushe.accounts.models import User
    from wushe.core.types import AnyUser

DEFAULT_COVERAGE_DAYS = 90


def coverage_days() -> int:
    """N of "not visited for N days" (configuration: WUSHE_VISIT_COVERAGE_DAYS)."""
    return int(getattr(settings, "WUSHE_VISIT_COVERAGE_DAYS", DEFAULT_COVERAGE_DAYS))


@dataclass
class VisitFilters:
    """The one filter definition of the visit list (page and API)."""

    region: Region | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    worker: int | None = None
    household: int | None = None
    subject: Subject = Subject()  # a person's or a household's visits (the 360° pages' full list)


def visit_list(*, user: AnyUser, filters: VisitFilters | None = None) -> QuerySet[Visit]:
    f = filters or VisitFilters()
    qs = (
        Visit.objects.visible_to(user)
        .select_related("region", "region__parent", "person", "household", "household__region", "created_by")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .prefetch_related(heads_prefetch("household"))  # the household named by its head
    )
    if f.subject:
        qs = qs.filter(subject_q(f.subject))
    if f.region is not None:
        qs = qs.in_region(f.region)
    qs = visits_in_period(qs, f.start, f.end)
    if f.worker:
        qs = qs.filter(workers=f.worker)
    if f.household:
        qs = qs.filter(household_id=f.household)
    return qs.order_by("-visited_on", "-id")


def get_visit_for_user(*, user: AnyUser, pk: int | str) -> Visit:
    qs = (
        Visit.objects.select_related("region", "region__parent", "person", "household", "created_by")
        .prefetch_related("workers")
        .defer("person__id_number", "person__phone", "person__contact_phone")
    )
    return get_visible_or_404(qs, user, pk=pk)


VisitsQS = TypeVar("VisitsQS", bound=QuerySet[Visit])
HouseholdsQS = TypeVar("HouseholdsQS", bound=QuerySet[Household])


def visits_in_period(
    qs: VisitsQS, start: datetime.date | None = None, end: datetime.date | None = None
) -> VisitsQS:
    if start is not None:
        qs = qs.filter(visited_on__gte=start)
    if end is not None:
        qs = qs.filter(visited_on__lte=end)
    return qs


def visit_figures(qs: QuerySet[Visit]) -> dict[str, int]:
    """Visits, households visited, leaflets and policies of a set of visits, in one query."""
    row = qs.aggregate(
        visits=Count("id"),
        households=Count("household", distinct=True),
        leaflets=Sum("leaflets"),
        policies=Sum("policies_explained"),
    )
    return {k: v or 0 for k, v in row.items()}


def active_households(qs: HouseholdsQS) -> HouseholdsQS:
    """The households with a registered member (their count is kept on the household)."""
    return qs.filter(active_members__gt=0)


def households_recently_visited(households: HouseholdsQS, *, as_of: datetime.date, days: int) -> HouseholdsQS:
    """The households visited in the ``days`` days up to ``as_of`` (after ``as_of - days``).

    As of today or later this is read from the household's latest visit day: a visit cannot be
    dated after today, so a household visited in those days is one whose latest visit is after
    ``as_of - days``. For a day in the past a later visit would hide an earlier one, so the
    visits themselves are asked."""
    since = as_of - datetime.timedelta(days=days)
    if as_of >= timezone.localdate():
        return households.filter(last_visited_on__gt=since)
    recent = Visit.objects.filter(household=OuterRef("pk"), visited_on__gt=since, visited_on__lte=as_of)
    return households.filter(Exists(recent))


@dataclass
class CoverageFilters:
    region: Region | None = None
    days: int = DEFAULT_COVERAGE_DAYS
    worker: User | None = None  # the households in the regions that worker is granted


def coverage_list(*, user: AnyUser, filters: CoverageFilters) -> QuerySet[Household]:
    """Households in scope not visited for ``days`` days (never visited first), with the day of
    the last visit: the list a worker works through."""
    today = timezone.localdate()
    since = today - datetime.timedelta(days=filters.days)
    qs = active_households(Household.objects.visible_to(user))
    if filters.region is not None:
        qs = qs.in_region(filters.region)
    if filters.worker is not None:
        qs = qs.filter(region__in=_worker_regions(filters.worker))
    return (
        qs.filter(Q(last_visited_on__isnull=True) | Q(last_visited_on__lte=since))
        .annotate(last_visit=F("last_visited_on"))
        .select_related("region", "region__parent")
        .order_by(
            F("last_visit").asc(nulls_first=True), "region__code", "id"
        )  # never visited first, on PostgreSQL too
    )


def households_to_visit(user: AnyUser) -> QuerySet[Household]:
    """To-do: the households in the user's grids not visited for ``coverage_days()`` days, never
    visited first, each with its head's name (``head_name``) — the coverage list at its default."""
    head = Person.objects.filter(household=OuterRef("pk"), relation_to_head=Relation.HEAD).values("name")
    return coverage_list(user=user, filters=CoverageFilters(days=coverage_days())).annotate(
        head_name=Subquery(head[:1])
    )


def _worker_regions(worker: AnyUser) -> QuerySet[Region]:
    from wushe.core.scoping import visible_regions

    return visible_regions(worker)


def coverage_summary(*, user: AnyUser, region: Region | None, days: int) -> dict[str, int]:
    today = timezone.localdate()
    qs = active_households(Household.objects.visible_to(user))
    if region is not None:
        qs = qs.in_region(region)
    total = qs.count()
    visited = households_recently_visited(qs, as_of=today, days=days).count()
    return {"total": total, "visited": visited, "missing": total - visited}


def workers_in_scope(*, user: AnyUser) -> QuerySet[User]:
    """Users holding a region role on a region in the user's scope (for the worker filter)."""
    from wushe.accounts.models import User
    from wushe.accounts.roles import Role
    from wushe.core.scoping import visible_regions

    return (
        User.objects.filter(
            Q(grants__role=Role.SOCIAL_WORKER) | Q(grants__role=Role.COMMUNITY_STAFF),
            grants__region__in=visible_regions(user),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def last_visits(household_ids: Sequence[int]) -> dict[int, datetime.date]:
    """The day of each household's latest visit (the household list's column), one query."""
    rows = Household.objects.filter(pk__in=list(household_ids), last_visited_on__isnull=False).values_list(
        "pk", "last_visited_on"
    )
    return {pk: day for pk, day in rows if day is not None}


# ---- what a worker's phone keeps for visits without a signal (the offline page) ------------

OFFLINE_MAX_ROWS = 500  # a phone keeps at most this many households and needs


def mask_name(name: str) -> str:
    """A name as the offline copy keeps it: the first character, the rest starred (王**)."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def offline_households(*, user: AnyUser) -> list[dict[str, object]]:
    """The households a worker may visit (their grants' registered households, not visited
    longest first), the least the offline form needs: the id, where it lives, the head's name
    masked. No ID number, no phone, no other member."""
    qs = (
        active_households(Household.objects.visible_to(user))
        .annotate(last_visit=F("last_visited_on"))
        .select_related("region")
        .prefetch_related(heads_prefetch())
        .order_by(F("last_visit").asc(nulls_first=True), "region__code", "id")
    )
    rows = []
    for h in qs[:OFFLINE_MAX_ROWS]:
        head = h.head
        rows.append(
            {
                "id": h.pk,
                "region": h.region.name,
                "address": h.address,
                "head": mask_name(head.name) if head is not None else "",
                "last_visit": h.last_visit.isoformat() if h.last_visit else None,
            }
        )
    return rows


def offline_needs(*, user: AnyUser) -> list[dict[str, object]]:
    """The open needs the worker answers for (``needs.selectors.assigned_to``), each with its
    version and the statuses it may move to, the subject masked."""
    from wushe.needs.models import OPEN_STATUSES, NeedStatus
    from wushe.needs.selectors import NeedFilters, need_list
    from wushe.needs.services import next_statuses

    qs = need_list(user=user, filters=NeedFilters(mine=True)).filter(status__in=OPEN_STATUSES)
    rows = []
    for n in qs[:OFFLINE_MAX_ROWS]:
        who = (
            n.person.name
            if n.person is not None
            else (n.household.head.name if n.household and n.household.head else "")
        )
        rows.append(
            {
                "id": n.pk,
                "category": n.category.label,
                "description": n.description,
                "subject": mask_name(who),
                "status": n.status,
                "status_label": str(n.get_status_display()),
                "version": n.version,
                "next": [{"value": s, "label": str(NeedStatus(s).label)} for s in next_statuses(n)],
                "deadline": n.deadline.isoformat(),
            }
        )
    return rows
