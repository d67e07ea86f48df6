"""Reads of needs and problems, scoped to the user; matching suggestions; the record sets the
figures count (``metrics.py`` and a drill-down share them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.core.models import SATISFIED_VALUES, Region
from wushe.core.scoping import get_visible_or_404
from wushe.registry.selectors import heads_prefetch
from wushe.registry.subjects import Subject, subject_q

from .models import (
    OPEN_STATUSES,
    Need,
    NeedCategory,
    NeedStatus,
    NeedStep,
    Problem,
    ProblemStatus,
)


def category_list() -> list[NeedCategory]:
    return list(NeedCategory.objects.filter(active=True).order_by("order", "code"))


def category_resolve(value: NeedCategory | str | int | None, field: str = "category") -> NeedCategory:
    if isinstance(value, NeedCategory):
        return value
    text = str(value or "").strip()
    category = (
        NeedCategory.objects.filter(active=True, code=text).first()
        or NeedCategory.objects.filter(active=True, name=text).first()
        or (NeedCategory.objects.filter(active=True, pk=int(text)).first() if text.isdigit() else None)
    )
    if category is None:
        raise ValidationError({field: _("未知的需求类别：%(c)s") % {"c": text or "—"}})
    return category


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
    subject: Subject = Subject()  # a person's or a household's needs (the 360° pages' full list)


def _base_needs(user: Any) -> QuerySet[Need]:
    return Need.objects.visible_to(user).select_related(
        "region", "region__parent", "category", "responsible_unit", "referred_to", "person"
    )


def need_list(*, user: Any, filters: NeedFilters | None = None) -> QuerySet[Need]:
    f = filters or NeedFilters()
    qs = (
        _base_needs(user)
        .select_related("household", "household__region")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .prefetch_related(heads_prefetch("household"))  # a household's need names the household
    )
    if f.subject:
        qs = qs.filter(subject_q(f.subject))
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
    qs = _base_needs(user).select_related(
        "household", "household__region", "visit", "resource", "project", "created_by"
    )
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
    subject: Subject = Subject()


def problem_list(*, user: Any, filters: ProblemFilters | None = None) -> QuerySet[Problem]:
    f = filters or ProblemFilters()
    qs = (
        Problem.objects.visible_to(user)
        .select_related("region", "region__parent", "person", "household", "household__region")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .prefetch_related(heads_prefetch("household"))
    )
    if f.subject:
        qs = qs.filter(subject_q(f.subject))
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


def unit_needs(*, user: Any, unit: Any, show: str = "open") -> QuerySet[Need]:
    qs = need_list(user=user, filters=NeedFilters(unit=unit.pk))
    if show == "overdue":
        return overdue_needs(qs)
    if show == "done":
        return qs.exclude(status__in=OPEN_STATUSES)
    return qs.filter(status__in=OPEN_STATUSES)


def unit_work(*, user: Any, unit: Any) -> UnitWork:
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
