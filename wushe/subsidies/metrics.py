"""Figures of the two subsidies, from the approved rosters (what was paid), with drill-down to
their lines. Money is Decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum, prefetch_related_objects
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.checks import today
from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric

from .eligibility import month_start
from .models import Kind, LineKind, RosterLine


def _paid_in_last_month(scope: Scope, kind: str) -> QuerySet[RosterLine]:
    month = month_start(scope.end or today())
    return scope.of(
        RosterLine.objects.filter(roster__month=month, kind=kind, line=LineKind.PAY, amount__gt=0)
    ).order_by("pk")


def _living(scope: Scope) -> Any:
    return _paid_in_last_month(scope, Kind.LIVING)


def _nursing(scope: Scope) -> Any:
    return _paid_in_last_month(scope, Kind.NURSING)


@metric(
    "subsidy.living",
    label=_("困难残疾人生活补贴人数"),
    unit=pgettext_lazy("unit", "人"),
    definition=_("期末所在月份审定名册中领取困难残疾人生活补贴的人数"),
    records=_living,
    period="as_of",
)
def subsidy_living(scope: Scope) -> int:
    return int(_living(scope).values("person_id").distinct().count())


@metric(
    "subsidy.nursing",
    label=_("重度残疾人护理补贴人数"),
    unit=pgettext_lazy("unit", "人"),
    definition=_("期末所在月份审定名册中领取重度残疾人护理补贴的人数"),
    records=_nursing,
    period="as_of",
)
def subsidy_nursing(scope: Scope) -> int:
    return int(_nursing(scope).values("person_id").distinct().count())


def _amount(scope: Scope) -> Any:
    return scope.in_period(scope.of(RosterLine.objects.exclude(amount=0)), "roster__month").order_by("pk")


@metric(
    "subsidy.amount",
    label=_("两项补贴发放金额"),
    unit=pgettext_lazy("unit", "元"),
    definition=_("期间内各月审定名册的发放金额（含补发，扣除追回）"),
    records=_amount,
    sum_of="amount",
)
def subsidy_amount(scope: Scope) -> Decimal:
    return Decimal(_amount(scope).aggregate(total=Sum("amount"))["total"] or 0)


drill_columns(
    RosterLine,
    [
        Column(_("月份"), lambda x: f"{x.roster.month:%Y-%m}", 10),
        Column(_("姓名"), lambda x: x.person.name, 12),
        Column(_("补贴"), lambda x: x.get_kind_display(), 20),
        Column(_("类型"), lambda x: x.get_line_display(), 10),
        Column(_("所属月份"), lambda x: f"{x.for_month:%Y-%m}", 10),
        Column(_("残疾等级"), lambda x: x.level, 8),
        Column(_("金额（元）"), lambda x: x.amount, 12),
        Column(_("所属社区/网格"), lambda x: region_name(x.region), 20),
    ],
    url=lambda x: (
        reverse("subsidies:roster")
        + "?"
        + urlencode({"region": x.roster.region.code, "month": f"{x.roster.month:%Y-%m}"})
    ),
    prepare=lambda rows: prefetch_related_objects(rows, "roster__region", "person", "region__parent"),
)
