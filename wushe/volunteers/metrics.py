"""Figures of volunteers, their teams and their verified hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.reports.metrics import Scope, metric, metric_family

from .models import RecordStatus, ServiceKind, ServiceRecord, Team, Volunteer


@metric(
    "volunteers",
    label=_("志愿者"),
    unit=pgettext_lazy("unit", "人"),
    definition=_("区域内各志愿服务队在队的志愿者人数"),
    records=lambda s: _volunteer_records(s),
    period="as_of",
)
def volunteers(scope: Scope) -> int:
    return _volunteer_records(scope).count()


def _volunteer_records(scope: Scope) -> Any:
    qs = scope.of(Volunteer.objects.all()).filter(active=True)
    if scope.end:
        qs = qs.filter(joined_on__lte=scope.end)
    return qs


@metric(
    "volunteer_teams",
    label=_("志愿服务队"),
    unit=pgettext_lazy("unit", "支"),
    definition=_("区域内的志愿服务队数"),
    records=lambda s: s.of(Team.objects.all()).filter(organization__active=True),
    period="none",
)
def volunteer_teams(scope: Scope) -> int:
    return scope.of(Team.objects.all()).filter(organization__active=True).count()


@metric(
    "volunteer_hours",
    label=_("志愿服务时长"),
    unit=pgettext_lazy("unit", "小时"),
    definition=_("队长核实过的志愿服务时长（按服务日期）"),
    records=lambda s: _verified(s),
    sum_of="hours",
)
def volunteer_hours(scope: Scope) -> Decimal:
    return sum(_hours_by_kind(scope).values(), Decimal("0"))


@metric_family(
    "volunteer_hours.type",
    label=_("志愿服务时长"),
    unit=pgettext_lazy("unit", "小时"),
    definition=_("队长核实过的该类型志愿服务时长（按服务日期）"),
    records=lambda s, kind: _verified(s).filter(kind=kind),
    sum_of="hours",
    chart="volunteer_hours.type",
)
def hours_by_type(scope: Scope) -> dict[str, tuple[str, Decimal]]:
    rows = _hours_by_kind(scope)
    return {k.value: (str(k.label), rows.get(k.value) or Decimal("0")) for k in ServiceKind}


def _hours_by_kind(scope: Scope) -> dict[str, Decimal]:
    """Verified hours by service type, one grouped query for the total and the types."""
    return scope.memo(  # type: ignore[no-any-return]
        "volunteer_hours",
        lambda: dict(
            _verified(scope).values_list("kind").annotate(h=Sum("hours")).values_list("kind", "h").order_by()
        ),
    )


def _verified(scope: Scope) -> Any:
    qs = scope.of(ServiceRecord.objects.all()).filter(status=RecordStatus.VERIFIED)
    if scope.start:
        qs = qs.filter(on__gte=scope.start)
    if scope.end:
        qs = qs.filter(on__lte=scope.end)
    return qs
