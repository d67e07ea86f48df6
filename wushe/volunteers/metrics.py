"""Figures of volunteers, their teams and their verified hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, local_date, region_name, yes_no
from wushe.core.metrics import Scope, metric, metric_family

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
    return scope.memo(
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


# ---- how the drill-down lists volunteers, teams and service records ----------------------------


def _prepare_volunteers(volunteers: list[Volunteer]) -> None:
    prefetch_related_objects(volunteers, "region__parent", "team__organization")


def _prepare_teams(teams: list[Any]) -> None:
    prefetch_related_objects(teams, "region__parent", "organization", "sponsor", "leader")
    active = Volunteer.objects.filter(active=True, team__in=[t.pk for t in teams]).order_by()
    counts = dict(active.values_list("team").annotate(n=Count("id")).values_list("team", "n"))
    for t in teams:
        t.active_volunteers = counts.get(t.pk, 0)


def _prepare_records(records: list[ServiceRecord]) -> None:
    prefetch_related_objects(records, "region__parent", "volunteer", "team__organization")


def _volunteer_url(volunteer: Volunteer) -> str:
    return reverse("volunteers:volunteer_detail", args=[volunteer.pk])


drill_columns(
    Volunteer,
    [
        Column(_("姓名"), lambda v: v.name, 10),
        Column(_("志愿者编号"), lambda v: v.number, 16),
        Column(_("志愿服务队"), lambda v: v.team.organization.name, 24),
        Column(_("服务特长"), lambda v: v.skills, 20),
        Column(_("加入日期"), lambda v: v.joined_on, 12),
        Column(_("在队"), lambda v: yes_no(v.active), 6),
        Column(_("所属区域"), lambda v: region_name(v.region), 24),
    ],
    url=_volunteer_url,
    prepare=_prepare_volunteers,
)
drill_columns(
    Team,
    [
        Column(_("志愿服务队"), lambda t: t.organization.name, 24),
        Column(_("队伍编号"), lambda t: t.code, 14),
        Column(_("队长"), lambda t: t.leader_name or str(t.leader or ""), 10),
        Column(_("依托组织"), lambda t: t.sponsor.name if t.sponsor else "", 24),
        Column(_("在队志愿者"), lambda t: t.active_volunteers, 8),
        Column(_("所属区域"), lambda t: region_name(t.region), 24),
    ],
    url=lambda t: reverse("volunteers:team_detail", args=[t.pk]),
    prepare=_prepare_teams,
)
drill_columns(
    ServiceRecord,
    [
        Column(_("服务日期"), lambda r: r.on, 12),
        Column(_("志愿者"), lambda r: str(r.volunteer), 20),
        Column(_("志愿服务队"), lambda r: r.team.organization.name, 24),
        Column(_("服务类型"), lambda r: r.get_kind_display(), 10),
        Column(_("服务内容"), lambda r: r.content, 24),
        Column(_("服务时长（小时）"), lambda r: r.hours, 10),
        Column(_("状态"), lambda r: r.get_status_display(), 8),
        Column(_("核实日期"), lambda r: local_date(r.verified_at), 12),
        Column(_("所属区域"), lambda r: region_name(r.region), 24),
    ],
    url=lambda r: _volunteer_url(r.volunteer),
    prepare=_prepare_records,
)
