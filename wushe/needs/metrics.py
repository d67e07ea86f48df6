"""Figures of the needs list, problems and satisfaction. The record sets are the selectors'
(``needs_met``, ``problems_resolved`` …, which a drill-down lists); the values are counted
together per table (``need_figures``, ``problem_figures``) so the whole registry stays a few
queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, local_date, region_name
from wushe.core.metrics import Scope, metric, metric_family, rate
from wushe.registry.models import Household
from wushe.registry.selectors import masked_people, named_households

from . import selectors
from .models import Need, NeedCategory, NeedStatus, Problem, ProblemStatus

ITEMS = pgettext_lazy("unit", "项")
PERCENT = "%"


def _needs(scope: Scope) -> dict[str, int]:
    return scope.memo(
        "needs", lambda: selectors.need_figures(scope.of(Need.objects.all()), scope.start, scope.end)
    )


def _breakdown(scope: Scope) -> dict[tuple[str, str], int]:
    return scope.memo(
        "needs_breakdown",
        lambda: selectors.need_breakdown(scope.of(Need.objects.all()), scope.start, scope.end),
    )


def _problems(scope: Scope) -> dict[str, int]:
    return scope.memo(
        "problems", lambda: selectors.problem_figures(scope.of(Problem.objects.all()), scope.start, scope.end)
    )


def _need_records(scope: Scope) -> Any:
    return scope.of(Need.objects.all())


def _problem_records(scope: Scope) -> Any:
    return scope.of(Problem.objects.all())


def _registered(scope: Scope) -> Any:
    return selectors.needs_registered(_need_records(scope), scope.start, scope.end)


def _met(scope: Scope) -> Any:
    return selectors.needs_met(_need_records(scope), scope.start, scope.end)


def _found(scope: Scope) -> Any:
    return selectors.problems_found(_problem_records(scope), scope.start, scope.end)


def _resolved(scope: Scope) -> Any:
    return selectors.problems_resolved(_problem_records(scope), scope.start, scope.end)


def _satisfied(records: Any, scope: Scope) -> Any:
    return selectors.satisfied(records)


@metric(
    "needs",
    label=_("需求数"),
    unit=ITEMS,
    definition=_("期间内登记的需求数"),
    records=_registered,
    trend=True,
    date_field="reported_on",
)
def needs(scope: Scope) -> int:
    return _needs(scope)["registered"]


@metric_family(
    "needs.category",
    label=_("需求类别"),
    unit=ITEMS,
    definition=_("期间内登记的该类别需求数"),
    records=lambda s, code: _registered(s).filter(category__code=code),
    chart="needs.category",
)
def needs_by_category(scope: Scope) -> dict[str, tuple[str, int]]:
    counts: dict[str, int] = {}
    for (code, _status), n in _breakdown(scope).items():
        counts[code] = counts.get(code, 0) + n
    categories: list[Any] = scope.memo("need_categories", lambda: list(NeedCategory.objects.all()))
    return {c.code: (c.label, counts.get(c.code, 0)) for c in categories}


@metric_family(
    "needs.status",
    label=_("需求状态"),
    unit=ITEMS,
    definition=_("期间内登记、目前处于该状态的需求数"),
    records=lambda s, status: _registered(s).filter(status=status),
    chart="needs.status",
)
def needs_by_status(scope: Scope) -> dict[str, tuple[str, int]]:
    counts: dict[str, int] = {}
    for (_code, status), n in _breakdown(scope).items():
        counts[status] = counts.get(status, 0) + n
    return {s.value: (str(s.label), counts.get(s.value, 0)) for s in NeedStatus}


@metric(
    "needs.met",
    label=_("已满足需求"),
    unit=ITEMS,
    definition=_("期间内状态变为已满足的需求数"),
    records=_met,
)
def needs_met(scope: Scope) -> int:
    return _needs(scope)["met"]


@metric(
    "needs.households",
    label=_("精准服务家庭"),
    unit=pgettext_lazy("unit", "户"),
    definition=_("期间内有需求得到满足的户数"),
    records=lambda s: s.of(Household.objects.all()).filter(pk__in=_met(s).values("household_id")),
)
def needs_households(scope: Scope) -> int:
    return _needs(scope)["households"]


@metric(
    "needs.overdue",
    label=_("逾期需求"),
    unit=ITEMS,
    definition=_("未结束且已过办结期限的需求数（截至期末或今天）"),
    records=lambda s: selectors.overdue_needs(_need_records(s), s.end),
    period="as_of",
)
def needs_overdue(scope: Scope) -> int:
    return _needs(scope)["overdue"]


@metric(
    "problems.found",
    label=_("发现问题"),
    unit=ITEMS,
    definition=_("期间内发现的问题数"),
    records=_found,
)
def problems_found(scope: Scope) -> int:
    return _problems(scope)["found"]


@metric(
    "problems.resolved",
    label=_("解决问题"),
    unit=ITEMS,
    definition=_("期间内发现并已解决的问题数"),
    records=_resolved,
)
def problems_resolved(scope: Scope) -> int:
    return _problems(scope)["resolved"]


@metric(
    "problems.resolution_rate",
    label=_("问题解决率"),
    unit=PERCENT,
    definition=_("已解决问题占发现问题的百分比，保留一位小数"),
    records=_found,
    numerator=lambda records, scope: records.filter(status=ProblemStatus.RESOLVED),
)
def resolution_rate(scope: Scope) -> Decimal | None:
    p = _problems(scope)
    return rate(p["resolved"], p["found"])


@metric(
    "needs.satisfaction_rate",
    label=_("需求满意率"),
    unit=PERCENT,
    definition=_("期间内已满足并评价了的需求中，满意与基本满意所占的百分比，保留一位小数"),
    records=lambda s: selectors.rated(_met(s)),
    numerator=_satisfied,
    chart="satisfaction",
)
def needs_satisfaction_rate(scope: Scope) -> Decimal | None:
    n = _needs(scope)
    return rate(n["satisfied"], n["rated"])


@metric(
    "problems.satisfaction_rate",
    label=_("问题满意率"),
    unit=PERCENT,
    definition=_("期间内发现、已解决并评价了的问题中，满意与基本满意所占的百分比，保留一位小数"),
    records=lambda s: selectors.rated(_resolved(s)),
    numerator=_satisfied,
    chart="satisfaction",
)
def problems_satisfaction_rate(scope: Scope) -> Decimal | None:
    p = _problems(scope)
    return rate(p["satisfied"], p["rated"])


@metric(
    "satisfaction_rate",
    label=_("满意率"),
    unit=PERCENT,
    definition=_("已满足需求和已解决问题的评价中，满意与基本满意所占的百分比，保留一位小数"),
    parts=lambda s: [("needs.satisfaction_rate", s), ("problems.satisfaction_rate", s)],
)
def satisfaction_rate(scope: Scope) -> Decimal | None:
    n, p = _needs(scope), _problems(scope)
    return rate(n["satisfied"] + p["satisfied"], n["rated"] + p["rated"])


# ---- how the drill-down lists needs and problems (masked personal data only) -------------------


def _prepare_needs(needs: list[Need]) -> None:
    prefetch_related_objects(
        needs,
        "region__parent",
        "category",
        "responsible_unit",
        masked_people("person"),
        *named_households("household"),
    )


def _prepare_problems(problems: list[Problem]) -> None:
    prefetch_related_objects(
        problems, "region__parent", masked_people("person"), *named_households("household")
    )


def _problem_url(problem: Problem) -> str:
    """A problem has no page of its own: the visit it was found on, else its resident or household."""
    if problem.visit_id:
        return reverse("visits:visit_detail", args=[problem.visit_id])
    if problem.person_id:
        return reverse("registry:person_detail", args=[problem.person_id])
    if problem.household_id:
        return reverse("registry:household_detail", args=[problem.household_id])
    return ""


drill_columns(
    Need,
    [
        Column(_("登记日期"), lambda n: n.reported_on, 12),
        Column(_("居民/户"), lambda n: str(n.person or n.household or ""), 16),
        Column(_("需求类别"), lambda n: n.category.label, 12),
        Column(_("需求描述"), lambda n: n.description, 30),
        Column(_("状态"), lambda n: n.get_status_display(), 10),
        Column(_("责任单位"), lambda n: n.responsible_unit.name, 20),
        Column(_("办结期限"), lambda n: n.deadline, 12),
        Column(_("满足日期"), lambda n: local_date(n.met_at), 12),
        Column(_("满意度"), lambda n: n.get_satisfaction_display(), 10),
        Column(_("所属区域"), lambda n: region_name(n.region), 24),
    ],
    url=lambda n: reverse("needs:need_detail", args=[n.pk]),
    prepare=_prepare_needs,
)
drill_columns(
    Problem,
    [
        Column(_("发现日期"), lambda p: p.found_on, 12),
        Column(_("居民/户"), lambda p: str(p.person or p.household or ""), 16),
        Column(_("问题描述"), lambda p: p.description, 30),
        Column(_("状态"), lambda p: p.get_status_display(), 10),
        Column(_("解决日期"), lambda p: p.resolved_on, 12),
        Column(_("满意度"), lambda p: p.get_satisfaction_display(), 10),
        Column(_("所属区域"), lambda p: region_name(p.region), 24),
    ],
    url=_problem_url,
    prepare=_prepare_problems,
)
