"""Figures of the care plans, computed from the records, with their drill-down."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.checks import today
from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric
from wushe.registry.models import Household, Person

from .models import CLEANING, CarePlan, ServiceRecord
from .selectors import active_in


def _active_plans(scope: Scope) -> Any:
    day = scope.end or today()
    return scope.of(CarePlan.objects.all()).filter(active_in(day, day))


def _households(scope: Scope) -> Any:
    return scope.of(Household.objects.filter(id__in=_active_plans(scope).values("household_id")))


@metric(
    "care.households",
    label=_("照护服务家庭"),
    unit=pgettext_lazy("unit", "户"),
    definition=_("期末有进行中照护计划（困难重度残疾人照护、精神障碍社区康复）的家庭数"),
    records=_households,
    period="as_of",
)
def care_households(scope: Scope) -> int:
    return int(_households(scope).count())


def _records(scope: Scope) -> Any:
    return scope.in_period(scope.of(ServiceRecord.objects.all()), "served_on")


@metric(
    "care.services",
    label=_("照护服务人次"),
    unit=pgettext_lazy("unit", "次"),
    definition=_("期间内服务机构登记的照护服务记录数"),
    records=_records,
    date_field="served_on",
)
def care_services(scope: Scope) -> int:
    return int(_records(scope).count())


def begun_months(
    start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date, datetime.date, int]:
    """The period's first day, its last day that has begun (not after today) and how many months
    have begun in it; without a period, the current year to date."""
    now = today()
    first = start or now.replace(month=1, day=1)
    last = min(end, now) if end is not None else now
    if last < first:
        return first, last, 0
    return first, last, (last.year - first.year) * 12 + last.month - first.month + 1


def _cleaned(scope: Scope) -> Any:
    first, last, months = begun_months(scope.start, scope.end)
    if months == 0:
        return scope.of(Person.objects.none())
    served = (
        scope.of(ServiceRecord.objects.filter(service_type__code=CLEANING))
        .filter(served_on__gte=first, served_on__lte=last)
        .annotate(month=TruncMonth("served_on"))
        .values("plan__person_id")
        .annotate(months=Count("month", distinct=True))
        .filter(months=months)
        .order_by()
        .values("plan__person_id")
    )
    return Person.objects.filter(id__in=served)


@metric(
    "care.monthly_cleaning",
    label=_("每月居家环境清洁人数"),
    unit=pgettext_lazy("unit", "人"),
    definition=_("期间内已开始的每个月都接受了居家环境清洁服务的人数（未指定期间为本年至今）"),
    records=_cleaned,
)
def care_monthly_cleaning(scope: Scope) -> int:
    return int(_cleaned(scope).count())


drill_columns(
    CarePlan,
    [
        Column(_("照护对象"), lambda p: p.person.name, 12),
        Column(_("项目类型"), lambda p: p.get_kind_display(), 18),
        Column(_("所属区域"), lambda p: region_name(p.region), 24),
        Column(_("服务机构"), lambda p: p.provider.name, 24),
        Column(_("开始日期"), lambda p: p.started_on, 12),
        Column(_("复评日期"), lambda p: p.review_on, 12),
    ],
    url=lambda p: reverse("care:plan_detail", args=[p.pk]),
    prepare=lambda rows: prefetch_related_objects(
        rows,
        Prefetch("person", queryset=Person.objects.defer("id_number", "phone", "contact_phone")),
        "region__parent",
        "provider",
    ),
)

drill_columns(
    ServiceRecord,
    [
        Column(_("服务日期"), lambda r: r.served_on, 12),
        Column(_("服务类别"), lambda r: r.service_type.label, 14),
        Column(_("服务人员"), lambda r: r.worker, 12),
        Column(_("服务时长（分钟）"), lambda r: r.minutes, 10),
        Column(_("满意度"), lambda r: r.get_satisfaction_display(), 10),
        Column(_("所属区域"), lambda r: region_name(r.plan.region), 24),
    ],
    url=lambda r: reverse("care:plan_detail", args=[r.plan_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "service_type", "plan__region__parent"),
)
