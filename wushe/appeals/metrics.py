"""Figures of the studios and residents' requests, and the difficulties solved."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, DurationField, F, Q, Sum, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name, yes_no
from wushe.core.metrics import REGISTRY, Scope, metric, metric_family, rate
from wushe.core.models import SATISFIED_VALUES

from .models import Appeal, Step, Studio

ITEMS = pgettext_lazy("unit", "件")


def _registered(scope: Scope) -> Any:
    return scope.in_period(scope.of(Appeal.objects.all()), "registered_at")


@metric(
    "studios",
    label=_("代表委员工作室"),
    unit=pgettext_lazy("unit", "处"),
    definition=_("区域内的代表委员工作室数"),
    records=lambda s: s.of(Studio.objects.all()),
    period="none",
)
def studios(scope: Scope) -> int:
    return scope.of(Studio.objects.all()).count()


if apps.is_installed("wushe.projects"):

    def _studio_projects(scope: Scope) -> Any:
        from wushe.projects.models import Project
        from wushe.projects.selectors import projects_in_period

        running = projects_in_period(scope.of(Project.objects.all()), scope.start, scope.end)
        return running.filter(organization__studio__isnull=False)

    @metric(
        "studio_projects",
        label=_("工作室特色项目"),
        unit=pgettext_lazy("unit", "个"),
        definition=_("代表委员工作室承接的、期间内实施中的项目数"),
        records=_studio_projects,
    )
    def studio_projects(scope: Scope) -> int:
        return _studio_projects(scope).count()


def _counts(scope: Scope) -> dict[str, int]:
    """Requests registered, by step, and overdue: one query for all of them."""

    def load() -> dict[str, int]:
        return _registered(scope).aggregate(
            total=Count("id"),
            overdue=Count("id", filter=_late()),
            **{s.value: Count("id", filter=Q(step=s.value)) for s in Step},
        )

    return scope.memo("appeals", load)


@metric(
    "appeals",
    label=_("居民诉求"),
    unit=ITEMS,
    definition=_("登记的居民诉求数（有期间时按登记日期）"),
    records=_registered,
    trend=True,
    date_field="registered_at",
)
def appeals(scope: Scope) -> int:
    return _counts(scope)["total"]


def _late() -> Q:
    return Q(due_on__lt=timezone.localdate()) & ~Q(step=Step.ARCHIVE)


@metric_family(
    "appeals.step",
    label=_("诉求所处步骤"),
    unit=ITEMS,
    definition=_("按当前步骤统计的诉求数"),
    records=lambda s, step: _registered(s).filter(step=step),
    chart="appeals.step",
)
def appeals_by_step(scope: Scope) -> dict[str, tuple[str, int]]:
    counts = _counts(scope)
    return {s.value: (str(s.label), counts[s.value]) for s in Step}


@metric(
    "appeals.overdue",
    label=_("逾期诉求"),
    unit=ITEMS,
    definition=_("尚未归档、当前步骤已过办理期限的诉求数（按今天）"),
    records=lambda s: _registered(s).filter(_late()),
)
def appeals_overdue(scope: Scope) -> int:
    return _counts(scope)["overdue"]


def _archived(scope: Scope, start: datetime.date | None, end: datetime.date | None) -> Any:
    qs = scope.of(Appeal.objects.all()).filter(step=Step.ARCHIVE)
    return scope.shifted(start, end).in_period(qs, "archived_at")


@metric(
    "appeals.avg_days_to_close",
    label=_("诉求平均办结天数"),
    unit=pgettext_lazy("unit", "天"),
    definition=_("归档诉求从登记到归档的平均自然日数（有期间时按归档日期）"),
    records=lambda s: _archived(s, s.start, s.end),
    value_from=lambda records: _average_days(records),
)
def avg_days_to_close(scope: Scope) -> Decimal:
    return _average_days(_archived(scope, scope.start, scope.end))


def _average_days(archived: Any) -> Decimal:
    # the spans added up by the database (exact to the microsecond), not read row by row
    row = archived.order_by().aggregate(
        n=Count("id"), span=Sum(F("archived_at") - F("registered_at"), output_field=DurationField())
    )
    if not row["n"]:
        return Decimal("0")
    seconds = Decimal(row["span"] // datetime.timedelta(microseconds=1)) / 1_000_000
    return (seconds / Decimal(86400 * row["n"])).quantize(Decimal("0.1"))


@metric(
    "appeals.satisfaction_rate",
    label=_("诉求满意率"),
    unit="%",
    definition=_("反馈时询问了满意度的诉求中，满意和基本满意所占的百分比"),
    records=lambda s: _asked(s),
    numerator=lambda records, scope: records.filter(satisfaction__in=SATISFIED_VALUES),
    chart="satisfaction",
)
def satisfaction_rate(scope: Scope) -> Decimal | None:
    agg = _asked(scope).aggregate(
        asked=Count("id"),
        good=Count("id", filter=Q(satisfaction__in=SATISFIED_VALUES)),
    )
    return rate(agg["good"], agg["asked"])


def _asked(scope: Scope) -> Any:
    qs = scope.of(Appeal.objects.all()).filter(satisfaction_asked_at__isnull=False)
    return scope.in_period(qs, "satisfaction_asked_at")


def _solved(scope: Scope) -> Any:
    return _archived(scope, scope.start, scope.end).filter(resolved=True).exclude(resolution="")


@metric(
    "appeals.solved",
    label=_("解决的诉求"),
    unit=ITEMS,
    definition=_("期间内归档、已解决并写明解决办法的居民诉求数（按归档日期）"),
    records=_solved,
)
def appeals_solved(scope: Scope) -> int:
    return _solved(scope).count()


def _solved_parts(scope: Scope) -> list[tuple[str, Scope]]:
    since = scope.shifted(*solved_since(scope))
    parts = [("appeals.solved", since)]
    if apps.is_installed("wushe.needs"):
        parts.append(("needs.met", since))
    return parts


def solved_since(scope: Scope) -> tuple[datetime.date, datetime.date | None]:
    """The period of ``difficulties_solved``: the scope's, or else from 1 October of the
    current year (the year of the scope's end when only an end is given) on."""
    if scope.start:
        return scope.start, scope.end
    year = (scope.end or timezone.localdate()).year
    return datetime.date(year, 10, 1), scope.end


@metric(
    "difficulties_solved",
    label=_("解决困难"),
    unit=ITEMS,
    definition=_(
        "归档且已解决的居民诉求数加已满足的需求数；有期间时按期间，否则自当年10月1日起（诉求按归档日期，需求按满足日期）"
    ),
    parts=_solved_parts,
)
def difficulties_solved(scope: Scope) -> int:
    if scope.start is not None:
        # over the scope's own period: the sum of its parts' figures as computed for the scope
        # (the needs met come from the need figures the scope has already counted)
        return sum(int(REGISTRY[key].compute(scope) or 0) for key, _part in _solved_parts(scope))
    start, end = solved_since(scope)
    total: int = _solved(scope.shifted(start, end)).count()
    if apps.is_installed("wushe.needs"):
        Need = apps.get_model("needs", "Need")
        met = scope.of(Need.objects.all()).filter(status="met")
        total += scope.shifted(start, end).in_period(met, "met_at").count()
    return total


# ---- how the drill-down lists studios and requests (masked personal data only) ----------------


def _prepare_studios(studios: list[Studio]) -> None:
    prefetch_related_objects(studios, "region__parent", "organization")


def _prepare_appeals(appeals: list[Appeal]) -> None:
    prefetch_related_objects(appeals, "region__parent", "studio__organization")


def _is_late(appeal: Appeal) -> bool:
    """The row's side of ``_late()``: not archived and past the current step's deadline."""
    return appeal.due_on is not None and appeal.due_on < timezone.localdate() and appeal.step != Step.ARCHIVE


def _days_to_close(appeal: Appeal) -> Decimal | None:
    if appeal.archived_at is None:
        return None
    seconds = (appeal.archived_at - appeal.registered_at).total_seconds()
    return (Decimal(seconds) / Decimal(86400)).quantize(Decimal("0.1"))


drill_columns(
    Studio,
    [
        Column(_("工作室"), lambda s: s.organization.name, 24),
        Column(_("特色"), lambda s: s.theme, 20),
        Column(_("联系人"), lambda s: s.organization.contact_name, 10),
        Column(_("地址"), lambda s: s.organization.address, 30),
        Column(_("所属区域"), lambda s: region_name(s.region), 24),
    ],
    url=lambda s: reverse("appeals:studio_detail", args=[s.pk]),
    prepare=_prepare_studios,
)
drill_columns(
    Appeal,
    [
        Column(_("诉求编号"), lambda a: a.number, 14),
        Column(_("诉求人"), lambda a: a.requester_name, 10),
        Column(_("类别"), lambda a: a.get_category_display(), 8),
        Column(_("工作室"), lambda a: a.studio.organization.name if a.studio else "", 20),
        Column(_("登记时间"), lambda a: a.registered_at, 12),
        Column(_("当前步骤"), lambda a: a.get_step_display(), 8),
        Column(_("办理期限"), lambda a: a.due_on, 12),
        Column(_("是否逾期"), lambda a: yes_no(_is_late(a)), 8),
        Column(_("归档时间"), lambda a: a.archived_at, 12),
        Column(_("办结天数"), _days_to_close, 8),
        Column(_("满意度"), lambda a: a.get_satisfaction_display(), 10),
        Column(_("所属区域"), lambda a: region_name(a.region), 24),
    ],
    url=lambda a: reverse("appeals:appeal_detail", args=[a.pk]),
    prepare=_prepare_appeals,
    defer=("requester_phone",),
)
