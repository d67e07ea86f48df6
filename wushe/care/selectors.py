"""Every read of the care plans, scoped to the user (``visible_to``): the plans, a plan's month
planned against done, the gaps of a month for the provider and the street."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum

from wushe.core.models import Region
from wushe.core.scoping import ScopedQuerySet, get_visible_or_404
from wushe.registry.models import Person

from .models import CarePlan, PlannedService, ServiceRecord, ServiceType

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    """``2026-03`` → 2026-03-01; anything else is ``default``'s month."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return default.replace(day=1)


def active_in(first: datetime.date, last: datetime.date) -> Q:
    """Plans running on some day of ``first``–``last``."""
    return Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


@dataclass
class PlanFilters:
    q: str = ""
    region: Region | None = None
    kind: str = ""
    provider: int | None = None
    active: bool = False


def plan_list(*, user: AnyUser, filters: PlanFilters | None = None) -> ScopedQuerySet[CarePlan]:
    f = filters or PlanFilters()
    qs = CarePlan.objects.visible_to(user).select_related("person", "household", "provider", "region")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.provider:
        qs = qs.filter(provider_id=f.provider)
    if f.active:
        qs = qs.filter(ended_on__isnull=True)
    if f.q:
        qs = qs.filter(Q(person__name__contains=f.q) | Q(provider__name__contains=f.q))
    return qs.defer("person__id_number", "person__phone", "person__contact_phone")


def get_plan_for_user(user: AnyUser, pk: int) -> CarePlan:
    qs = CarePlan.objects.select_related("person", "household", "provider", "region")
    return get_visible_or_404(qs, user, pk=pk)


def service_types(*, active_only: bool = True) -> list[ServiceType]:
    qs = ServiceType.objects.all()
    return list(qs.filter(active=True) if active_only else qs)


@dataclass
class MonthLine:
    service_type: ServiceType
    planned: int
    done: int
    minutes: int

    @property
    def gap(self) -> int:
        return max(self.planned - self.done, 0)


@dataclass
class PlanMonth:
    plan: CarePlan
    month: datetime.date
    lines: list[MonthLine] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return sum(line.planned for line in self.lines)

    @property
    def done(self) -> int:
        return sum(min(line.done, line.planned) for line in self.lines)

    @property
    def gaps(self) -> list[MonthLine]:
        return [line for line in self.lines if line.gap]


def _planned_in(service: PlannedService, plan: CarePlan, first: datetime.date, last: datetime.date) -> int:
    running = plan.started_on <= last and (plan.ended_on is None or plan.ended_on >= first)
    return service.times_per_month if running and first.month in service.month_numbers() else 0


def plan_months(plans: list[CarePlan], month: datetime.date) -> list[PlanMonth]:
    """Each plan's month: every planned service (planned that month, done, minutes), and the
    services given without being planned (planned 0). Two queries for any number of plans."""
    first, last = month_bounds(month)
    ids = [p.pk for p in plans]
    planned: dict[int, list[PlannedService]] = defaultdict(list)
    for s in PlannedService.objects.filter(plan_id__in=ids).select_related("service_type"):
        planned[s.plan_id].append(s)
    done: dict[tuple[int, int], tuple[int, int]] = {}
    types: dict[int, ServiceType] = {}
    rows = (
        ServiceRecord.objects.filter(plan_id__in=ids, served_on__gte=first, served_on__lte=last)
        .values("plan_id", "service_type_id")
        .annotate(n=Count("id"), total=Sum("minutes"))
        .order_by()
    )
    for row in rows:
        done[(row["plan_id"], row["service_type_id"])] = (row["n"], row["total"] or 0)
    missing = {t for (_p, t) in done} - {s.service_type_id for ss in planned.values() for s in ss}
    if missing:
        types = {t.pk: t for t in ServiceType.objects.filter(pk__in=missing)}
    result = []
    for plan in plans:
        pm = PlanMonth(plan=plan, month=first)
        seen = set()
        for s in planned[plan.pk]:
            n, minutes = done.get((plan.pk, s.service_type_id), (0, 0))
            seen.add(s.service_type_id)
            pm.lines.append(MonthLine(s.service_type, _planned_in(s, plan, first, last), n, minutes))
        for (pid, tid), (n, minutes) in done.items():
            if pid == plan.pk and tid not in seen:
                pm.lines.append(MonthLine(types[tid], 0, n, minutes))
        result.append(pm)
    return result


def plan_month(plan: CarePlan, month: datetime.date) -> PlanMonth:
    return plan_months([plan], month)[0]


def month_gaps(
    *, user: AnyUser, month: datetime.date, region: Region | None = None, provider: int | None = None
) -> list[PlanMonth]:
    """The plans running in ``month`` whose services fell short of the plan, for the provider
    (``provider``) or the street (``region``)."""
    first, last = month_bounds(month)
    plans = plan_list(user=user, filters=PlanFilters(region=region, provider=provider)).filter(
        active_in(first, last)
    )
    return [pm for pm in plan_months(list(plans), first) if pm.gaps]


def record_list(*, user: AnyUser, plan: CarePlan | None = None) -> ScopedQuerySet[ServiceRecord]:
    qs = ServiceRecord.objects.visible_to(user).select_related("service_type", "plan__person")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.defer("plan__person__id_number", "plan__person__phone", "plan__person__contact_phone")


def get_person_for_user(user: AnyUser, pk: int) -> Person:
    return get_visible_or_404(Person.objects.all(), user, pk=pk)
