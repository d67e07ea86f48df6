"""Figures of the poverty work, computed from its records, with their drill-down."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, local_date, region_name
from wushe.core.metrics import Scope, chart_group, metric, metric_family
from wushe.registry.models import Household
from wushe.registry.selectors import heads_prefetch

from .models import (
    STEPS,
    CheckItem,
    HouseholdCheck,
    Item,
    Lead,
    MonitoringObject,
    ObjectKind,
    ObjectStatus,
    RiskType,
    RiskWarning,
    WarningStatus,
)

HOUSEHOLDS = pgettext_lazy("unit", "户")
ITEMS = pgettext_lazy("unit", "项")
PIECES = pgettext_lazy("unit", "条")

chart_group("poverty.failed_items", label=_("入户核查未达标项目"), kind="bar", order=90)
chart_group("monitoring.objects", label=_("监测对象（按类型与风险）"), kind="bar", order=91)


def _checks(scope: Scope) -> Any:
    return scope.in_period(scope.of(HouseholdCheck.objects.all()), "checked_on")


def _checked(scope: Scope) -> Any:
    return scope.of(Household.objects.filter(id__in=_checks(scope).values("household_id")))


@metric(
    "poverty.checked",
    label=_("入户核查户数"),
    unit=HOUSEHOLDS,
    definition=_("期间内做过两不愁三保障及饮水安全核查的户数（一户多次核查计一户）"),
    records=_checked,
)
def poverty_checked(scope: Scope) -> int:
    return int(_checked(scope).count())


def _failed(scope: Scope, item: str) -> Any:
    return CheckItem.objects.filter(check_record__in=_checks(scope), passed=False, item=item)


@metric_family(
    "poverty.failed_items",
    label=_("核查未达标项目"),
    unit=ITEMS,
    definition=_("期间内入户核查中该项目未达标的次数（每项转为一条需求）"),
    records=_failed,
    chart="poverty.failed_items",
)
def poverty_failed_items(scope: Scope) -> dict[str, tuple[str, int]]:
    counts = dict(
        CheckItem.objects.filter(check_record__in=_checks(scope), passed=False)
        .values_list("item")
        .annotate(n=Count("id"))
        .values_list("item", "n")
    )
    return {item.value: (str(item.label), int(counts.get(item.value, 0))) for item in Item}


def _monitored(scope: Scope) -> Any:
    qs = scope.of(MonitoringObject.objects.all())
    if scope.end is not None:
        qs = qs.filter(started_on__lte=scope.end).exclude(eliminated_on__lte=scope.end)
    else:
        qs = qs.filter(status=ObjectStatus.MONITORED)
    return qs


def _object_rows(scope: Scope) -> list[tuple[str, str]]:
    return scope.memo("poverty.objects", lambda: list(_monitored(scope).values_list("kind", "risk_type")))


def _objects_of(scope: Scope, key: str) -> Any:
    field, value = key.split("-", 1)
    return _monitored(scope).filter(**{field: value})


@metric_family(
    "monitoring.objects",
    label=_("监测对象"),
    unit=HOUSEHOLDS,
    definition=_("期末在监测中的对象户数，按对象类型（kind-）和风险类型（risk_type-）"),
    records=_objects_of,
    period="as_of",
    chart="monitoring.objects",
)
def monitoring_objects_by(scope: Scope) -> dict[str, tuple[str, int]]:
    rows = _object_rows(scope)
    out: dict[str, tuple[str, int]] = {}
    for kind in ObjectKind:
        out[f"kind-{kind.value}"] = (str(kind.label), sum(1 for k, _r in rows if k == kind))
    for risk in RiskType:
        out[f"risk_type-{risk.value}"] = (str(risk.label), sum(1 for _k, r in rows if r == risk))
    return out


@metric(
    "monitoring.objects",
    label=_("监测对象"),
    unit=HOUSEHOLDS,
    definition=_("期末在监测中的对象户数（脱贫不稳定户、边缘易致贫户、突发严重困难户）"),
    records=_monitored,
    period="as_of",
)
def monitoring_objects(scope: Scope) -> int:
    return len(_object_rows(scope))


def _eliminated(scope: Scope) -> Any:
    return scope.in_period(
        scope.of(MonitoringObject.objects.filter(status=ObjectStatus.ELIMINATED)), "eliminated_on"
    )


@metric(
    "monitoring.eliminated",
    label=_("风险消除户数"),
    unit=HOUSEHOLDS,
    definition=_("期间内标注风险消除的监测对象户数"),
    records=_eliminated,
)
def monitoring_eliminated(scope: Scope) -> int:
    return int(_eliminated(scope).count())


def _overdue(scope: Scope) -> Any:
    from wushe.core.checks import today

    day = min(scope.end, today()) if scope.end is not None else today()
    return scope.of(Lead.objects.filter(stage__in=STEPS, deadline__lt=day, raised_on__lte=day))


@metric(
    "monitoring.overdue",
    label=_("超期未办结线索"),
    unit=PIECES,
    definition=_("期末未完成县级审定且已过办结期限（线索之日起15天）的监测线索数"),
    records=_overdue,
    period="as_of",
)
def monitoring_overdue(scope: Scope) -> int:
    return int(_overdue(scope).count())


def _warning_counts(scope: Scope) -> dict[str, int]:
    def read() -> dict[str, int]:
        counts = dict(
            _warnings(scope).values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        return {str(k): int(v) for k, v in counts.items()}

    return scope.memo("poverty.warnings", read)


def _warnings(scope: Scope) -> Any:
    return scope.in_period(scope.of(RiskWarning.objects.all()), "raised_on")


@metric(
    "monitoring.warnings",
    label=_("返贫预警"),
    unit=PIECES,
    definition=_("期间内预警规则自动产生的预警数"),
    records=_warnings,
)
def monitoring_warnings(scope: Scope) -> int:
    return sum(_warning_counts(scope).values())


def _confirmed(scope: Scope) -> Any:
    return _warnings(scope).filter(status=WarningStatus.CONFIRMED)


@metric(
    "monitoring.warnings_confirmed",
    label=_("确认的返贫预警"),
    unit=PIECES,
    definition=_("期间内产生、经社工确认转为监测线索的预警数"),
    records=_confirmed,
)
def monitoring_warnings_confirmed(scope: Scope) -> int:
    return _warning_counts(scope).get(WarningStatus.CONFIRMED, 0)


# ---- how the drill-down lists them ------------------------------------------------------------


def _head(obj: Any) -> str:
    return str(obj.household) if obj.household_id else ""


drill_columns(
    HouseholdCheck,
    [
        Column(_("核查日期"), lambda c: c.checked_on, 12),
        Column(_("户"), _head, 20),
        Column(_("所属区域"), lambda c: region_name(c.region), 24),
        Column(_("人均纯收入（元）"), lambda c: c.income_per_person, 14),
    ],
    url=lambda c: reverse("poverty:check_detail", args=[c.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent", heads_prefetch("household")),
)
drill_columns(
    CheckItem,
    [
        Column(_("核查日期"), lambda i: i.check_record.checked_on, 12),
        Column(_("核查项目"), lambda i: i.get_item_display(), 14),
        Column(_("情况说明"), lambda i: i.finding, 30),
        Column(_("所属区域"), lambda i: region_name(i.check_record.region), 24),
    ],
    url=lambda i: reverse("poverty:check_detail", args=[i.check_record_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "check_record__region__parent"),
)
drill_columns(
    MonitoringObject,
    [
        Column(_("纳入监测日期"), lambda o: o.started_on, 12),
        Column(_("户"), _head, 20),
        Column(_("监测对象类型"), lambda o: o.get_kind_display(), 14),
        Column(_("风险类型"), lambda o: o.get_risk_type_display(), 10),
        Column(_("状态"), lambda o: o.get_status_display(), 10),
        Column(_("所属区域"), lambda o: region_name(o.region), 24),
    ],
    url=lambda o: reverse("poverty:object_detail", args=[o.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent", heads_prefetch("household")),
)
drill_columns(
    Lead,
    [
        Column(_("线索日期"), lambda x: x.raised_on, 12),
        Column(_("户"), _head, 20),
        Column(_("线索来源"), lambda x: x.get_source_display(), 12),
        Column(_("当前环节"), lambda x: x.get_stage_display(), 12),
        Column(_("办结期限"), lambda x: x.deadline, 12),
        Column(_("所属区域"), lambda x: region_name(x.region), 24),
    ],
    url=lambda x: reverse("poverty:lead_detail", args=[x.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent", heads_prefetch("household")),
)
drill_columns(
    RiskWarning,
    [
        Column(_("预警日期"), lambda w: w.raised_on, 12),
        Column(_("预警规则"), lambda w: w.get_rule_display(), 16),
        Column(_("预警原因"), lambda w: w.reason, 36),
        Column(_("状态"), lambda w: w.get_status_display(), 10),
        Column(_("处理时间"), lambda w: local_date(w.decided_at) or "", 12),
        Column(_("所属区域"), lambda w: region_name(w.region), 24),
    ],
    url=lambda w: reverse("poverty:warning_list"),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent"),
)
