"""Reads of needs and problems, scoped to the user; matching suggestions; the record sets the
figures count (``metrics.py`` and a drill-down share them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.models import SATISFIED_VALUES, Region, RegionLevel
from wushe.core.scoping import get_visible_or_404
from wushe.partners.models import Resource, ResponsibilityUnit
from wushe.projects.models import Project

from .models import (
    OPEN_STATUSES,
    Need,
    NeedCategory,
    NeedStatus,
    NeedStep,
    Problem,
    ProblemStatus,
)
from .services import ancestor_ids


def category_list() -> list[NeedCategory]:
    return list(NeedCategory.objects.filter(active=True).order_by("order", "code"))


# ---- the need list ---------------------------------------------------------------------------


@dataclass
class NeedFilters:
    """The one filter definition of the need list (page and API)."""

    region: Region | None = None
    category: str = ""
    status: str = ""
    urgency: str = ""
    overdue: bool = False
    unit: int | None = None
    q: str = ""


def _base_needs(user: Any) -> QuerySet[Need]:
    return Need.objects.visible_to(user).select_related(
        "region", "region__parent", "category", "responsible_unit", "referred_to", "person"
    )


def need_list(*, user: Any, filters: NeedFilters | None = None) -> QuerySet[Need]:
    f = filters or NeedFilters()
    qs = _base_needs(user).defer("person__id_number", "person__phone", "person__contact_phone")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.overdue:
        qs = overdue_needs(qs)
    if f.unit:
        qs = qs.filter(responsible_unit_id=f.unit)
    if f.q:
        qs = qs.filter(description__icontains=f.q.strip())
    return qs.order_by("-reported_on", "-id")


def get_need_for_user(*, user: Any, pk: Any) -> Need:
    qs = _base_needs(user).select_related("household", "visit", "resource", "project", "created_by")
    return get_visible_or_404(
        qs.defer("person__id_number", "person__phone", "person__contact_phone"), user, pk=pk
    )


def need_steps(*, need: Need) -> list[NeedStep]:
    return list(need.steps.select_related("by").order_by("at", "id"))


# ---- the record sets the figures count ------------------------------------------------------


def _in_period(
    qs: QuerySet[Any], field: str, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Any]:
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


def needs_registered(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Need]:
    return _in_period(qs, "reported_on", start, end)


def needs_met(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Need]:
    return qs.filter(Q(status=NeedStatus.MET) & _moment_q("met_at", start, end))


def overdue_needs(qs: QuerySet[Need], as_of: datetime.date | None = None) -> QuerySet[Need]:
    """Open needs whose deadline has passed (as of a day, today by default)."""
    return qs.filter(status__in=OPEN_STATUSES, deadline__lt=as_of or timezone.localdate())


def problems_found(
    qs: QuerySet[Problem], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Problem]:
    return _in_period(qs, "found_on", start, end)


def problems_resolved(
    qs: QuerySet[Problem], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Problem]:
    """Problems found in the period that have been resolved."""
    return problems_found(qs, start, end).filter(status=ProblemStatus.RESOLVED)


def rated(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.exclude(satisfaction="")


def satisfied(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(satisfaction__in=SATISFIED_VALUES)


def need_counts(qs: QuerySet[Need], field: str) -> dict[Any, int]:
    return dict(qs.values_list(field).annotate(n=Count("id")).values_list(field, "n").order_by())


# ---- problems ---------------------------------------------------------------------------------


@dataclass
class ProblemFilters:
    region: Region | None = None
    status: str = ""


def problem_list(*, user: Any, filters: ProblemFilters | None = None) -> QuerySet[Problem]:
    f = filters or ProblemFilters()
    qs = (
        Problem.objects.visible_to(user)
        .select_related("region", "region__parent", "person")
        .defer("person__id_number", "person__phone", "person__contact_phone")
    )
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.order_by("-found_on", "-id")


def get_problem_for_user(*, user: Any, pk: Any) -> Problem:
    return get_visible_or_404(
        Problem.objects.select_related("region", "person", "visit").defer(
            "person__id_number", "person__phone", "person__contact_phone"
        ),
        user,
        pk=pk,
    )


# ---- the per-unit responsibility page ---------------------------------------------------------


@dataclass
class UnitWork:
    open: int
    overdue: int
    done: int


def unit_needs(*, user: Any, unit: ResponsibilityUnit, show: str = "open") -> QuerySet[Need]:
    qs = need_list(user=user, filters=NeedFilters(unit=unit.pk))
    if show == "overdue":
        return overdue_needs(qs)
    if show == "done":
        return qs.exclude(status__in=OPEN_STATUSES)
    return qs.filter(status__in=OPEN_STATUSES)


def unit_work(*, user: Any, unit: ResponsibilityUnit) -> UnitWork:
    today = timezone.localdate()
    row = (
        Need.objects.visible_to(user)
        .filter(responsible_unit=unit)
        .aggregate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
            done=Count("id", filter=~Q(status__in=OPEN_STATUSES)),
        )
    )
    return UnitWork(open=row["open"], overdue=row["overdue"], done=row["done"])


def unit_work_counts(*, user: Any, unit_ids: list[int]) -> dict[int, UnitWork]:
    """Open / overdue / done per unit for a page of units, in one grouped query."""
    today = timezone.localdate()
    rows = (
        Need.objects.visible_to(user)
        .filter(responsible_unit_id__in=unit_ids)
        .values("responsible_unit_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
            done=Count("id", filter=~Q(status__in=OPEN_STATUSES)),
        )
        .order_by()
    )
    out = {uid: UnitWork(0, 0, 0) for uid in unit_ids}
    for r in rows:
        out[r["responsible_unit_id"]] = UnitWork(open=r["open"], overdue=r["overdue"], done=r["done"])
    return out


# ---- matching -----------------------------------------------------------------------------------

_AREA_LABELS = {
    RegionLevel.GRID: gettext_lazy("所在网格"),
    RegionLevel.COMMUNITY: gettext_lazy("所在社区"),
    RegionLevel.STREET: gettext_lazy("所在街道"),
}


@dataclass
class Suggestion:
    kind: str  # "resource" or "project"
    target: Any
    distance: int  # 0: the need's own region, 1: the one above …
    reason: str

    @property
    def provider(self) -> Any:
        return self.target.provider if self.kind == "resource" else self.target.organization


def _area(need: Need, region: Region) -> tuple[int, str] | None:
    ids = ancestor_ids(need.region)
    if region.pk not in ids:
        return None
    level_label = _AREA_LABELS.get(RegionLevel(region.level), _("上级区域"))
    return ids.index(region.pk), f"{level_label}（{region.name}）"


def suggestion_reason(*, need: Need, target: Any, on: datetime.date | None = None) -> str | None:
    """Why ``target`` (a resource or a project) suits the need, or ``None`` if it does not:
    same category, an area that covers the need's, capacity left, within its period."""
    on = on or timezone.localdate()
    if not target.categories.filter(pk=need.category_id).exists():
        return None
    area = _area(need, target.region)
    if area is None:
        return None
    parts = [_("同类需求（%(c)s）") % {"c": need.category.name}, _("服务范围：%(a)s") % {"a": area[1]}]
    if isinstance(target, Resource):
        if not target.active or target.remaining <= 0:
            return None
        if (target.available_from and target.available_from > on) or (
            target.available_to and target.available_to < on
        ):
            return None
        parts.append(_("剩余容量 %(r)s/%(c)s") % {"r": target.remaining, "c": target.capacity})
        if target.available_to:
            parts.append(_("可用至 %(d)s") % {"d": target.available_to.isoformat()})
    else:
        if not (target.start_on <= on <= target.end_on):
            return None
        parts.append(
            _("项目周期 %(a)s 至 %(b)s") % {"a": target.start_on.isoformat(), "b": target.end_on.isoformat()}
        )
    return "；".join(str(p) for p in parts)


def need_suggestions(*, need: Need, on: datetime.date | None = None, limit: int = 20) -> list[Suggestion]:
    """Ranked resources and projects for a need: nearest area first (grid → community →
    street), then most capacity left; each with the reason. The caller has already opened the
    need (``get_need_for_user``); a provider's offer is seen by whoever may see the need."""
    on = on or timezone.localdate()
    ids = ancestor_ids(need.region)
    order = {rid: i for i, rid in enumerate(ids)}
    resources = (
        Resource.objects.filter(active=True, categories=need.category_id, region_id__in=ids, remaining__gt=0)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=on))
        .filter(Q(available_to__isnull=True) | Q(available_to__gte=on))
        .select_related("provider", "region")
        .distinct()[:200]
    )
    projects = (
        Project.objects.filter(
            categories=need.category_id, region_id__in=ids, start_on__lte=on, end_on__gte=on
        )
        .select_related("organization", "region")
        .distinct()[:200]
    )
    out: list[Suggestion] = []
    for r in resources:
        out.append(Suggestion("resource", r, order[r.region_id], _reason(need, r, order[r.region_id], on)))
    for p in projects:
        out.append(Suggestion("project", p, order[p.region_id], _reason(need, p, order[p.region_id], on)))
    out.sort(
        key=lambda s: (
            s.distance,
            0 if s.kind == "resource" else 1,
            -(s.target.remaining if s.kind == "resource" else 0),
            s.target.name,
        )
    )
    return out[:limit]


def _reason(need: Need, target: Any, distance: int, on: datetime.date) -> str:
    """The reason without further queries (the candidates already passed the filters)."""
    region = target.region
    level_label = _AREA_LABELS.get(RegionLevel(region.level), _("上级区域"))
    parts = [
        _("同类需求（%(c)s）") % {"c": need.category.name},
        _("服务范围：%(a)s") % {"a": f"{level_label}（{region.name}）"},
    ]
    if isinstance(target, Resource):
        parts.append(_("剩余容量 %(r)s/%(c)s") % {"r": target.remaining, "c": target.capacity})
        if target.available_to:
            parts.append(_("可用至 %(d)s") % {"d": target.available_to.isoformat()})
    else:
        parts.append(
            _("项目周期 %(a)s 至 %(b)s") % {"a": target.start_on.isoformat(), "b": target.end_on.isoformat()}
        )
    return "；".join(str(p) for p in parts)


# ---- the same record sets, counted together (the figures read each table once) ---------------


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _moment_q(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    """``field`` (a datetime) on a local day within ``start``–``end`` (both included): compared
    with the local midnights around the days, so no row is converted to the local time zone and
    an index on the field serves (the condition of ``field__date`` between the days)."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": _local_midnight(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": _local_midnight(end + datetime.timedelta(days=1))})
    return q


def _period_q(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def need_figures(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, int]:
    """Registered, met, the households of the met ones, overdue, and the ratings of the met ones,
    in one query: the conditions are those of ``needs_registered``, ``needs_met``,
    ``overdue_needs``, ``rated``, ``satisfied``."""
    met = Q(status=NeedStatus.MET) & _moment_q("met_at", start, end)
    rated_met = met & ~Q(satisfaction="")
    row = qs.aggregate(
        registered=Count("id", filter=_period_q("reported_on", start, end)),
        met=Count("id", filter=met),
        households=Count("household", distinct=True, filter=met),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=end or timezone.localdate())),
        rated=Count("id", filter=rated_met),
        satisfied=Count("id", filter=rated_met & Q(satisfaction__in=SATISFIED_VALUES)),
    )
    return {k: v or 0 for k, v in row.items()}


def need_breakdown(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[tuple[str, str], int]:
    """Needs registered in the period by (category code, status), one grouped query."""
    rows = (
        needs_registered(qs, start, end)
        .values_list("category__code", "status")
        .annotate(n=Count("id"))
        .values_list("category__code", "status", "n")
        .order_by()
    )
    return {(c, s): n for c, s, n in rows}


def problem_figures(
    qs: QuerySet[Problem], start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, int]:
    """Found, resolved, and the ratings of the resolved ones (``problems_found``,
    ``problems_resolved``, ``rated``, ``satisfied``), in one query."""
    found = _period_q("found_on", start, end)
    resolved = found & Q(status=ProblemStatus.RESOLVED)
    rated_resolved = resolved & ~Q(satisfaction="")
    row = qs.aggregate(
        found=Count("id", filter=found),
        resolved=Count("id", filter=resolved),
        rated=Count("id", filter=rated_resolved),
        satisfied=Count("id", filter=rated_resolved & Q(satisfaction__in=SATISFIED_VALUES)),
    )
    return {k: v or 0 for k, v in row.items()}
