"""Figures of case work, group work and activities (and the social workers who do them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.models import Region
from wushe.reports.metrics import Scope, metric

from .models import Activity, Case, CaseService, CaseStage, Group, GroupSession

ITEMS = pgettext_lazy("unit", "个")
TIMES = pgettext_lazy("unit", "次")
PERSONS = pgettext_lazy("unit", "人")


def in_period(qs: QuerySet[Any], field: str, scope: Scope) -> QuerySet[Any]:
    """``qs`` narrowed to the scope's period on the date ``field`` (when a period is given)."""
    if scope.start:
        qs = qs.filter(**{f"{field}__gte": scope.start})
    if scope.end:
        qs = qs.filter(**{f"{field}__lte": scope.end})
    return qs


def _cases(scope: Scope) -> dict[str, int]:
    def load() -> dict[str, int]:
        qs = in_period(scope.of(Case.objects.all()), "opened_on", scope)
        return qs.aggregate(total=Count("id"), open=Count("id", filter=~Q(stage=CaseStage.CLOSED)))  # type: ignore[no-any-return]

    return scope.memo("cases", load)  # type: ignore[no-any-return]


@metric(
    "cases",
    label=_("个案服务"),
    unit=ITEMS,
    definition=_("在区域内接案的个案数（有期间时按接案日期）"),
    records=lambda s: in_period(s.of(Case.objects.all()), "opened_on", s),
)
def cases(scope: Scope) -> int:
    return _cases(scope)["total"]


@metric(
    "cases.open",
    label=_("在案个案"),
    unit=ITEMS,
    definition=_("尚未结案的个案数（有期间时为期间内接案者）"),
    records=lambda s: in_period(s.of(Case.objects.all()), "opened_on", s).exclude(stage=CaseStage.CLOSED),
)
def cases_open(scope: Scope) -> int:
    return _cases(scope)["open"]


def _case_services(scope: Scope) -> int:
    return scope.memo(  # type: ignore[no-any-return]
        "case_services", lambda: in_period(scope.of(CaseService.objects.all()), "on", scope).count()
    )


@metric(
    "case_services",
    label=_("个案服务记录"),
    unit=TIMES,
    definition=_("个案的服务记录数（按服务日期）"),
    records=lambda s: in_period(s.of(CaseService.objects.all()), "on", s),
    date_field="on",
)
def case_services(scope: Scope) -> int:
    return _case_services(scope)


@metric(
    "groups",
    label=_("小组服务"),
    unit=ITEMS,
    definition=_("在区域内开展的小组数（有期间时按开始日期）"),
    records=lambda s: in_period(s.of(Group.objects.all()), "starts_on", s),
)
def groups(scope: Scope) -> int:
    return in_period(scope.of(Group.objects.all()), "starts_on", scope).count()


def _sessions(scope: Scope) -> int:
    return scope.memo(  # type: ignore[no-any-return]
        "group_sessions", lambda: in_period(scope.of(GroupSession.objects.all()), "on", scope).count()
    )


@metric(
    "group_sessions",
    label=_("小组活动节次"),
    unit=TIMES,
    definition=_("小组开展的活动节次（按日期）"),
    records=lambda s: in_period(s.of(GroupSession.objects.all()), "on", s),
    date_field="on",
)
def group_sessions(scope: Scope) -> int:
    return _sessions(scope)


def _activities(scope: Scope) -> dict[str, int]:
    def load() -> dict[str, int]:
        qs = in_period(scope.of(Activity.objects.all()), "on", scope)
        agg = qs.aggregate(n=Count("id"), p=Sum("participants"), leaflets=Sum("leaflets"))
        return {"count": agg["n"], "participants": agg["p"] or 0, "leaflets": agg["leaflets"] or 0}

    return scope.memo("activities", load)  # type: ignore[no-any-return]


@metric(
    "activities",
    label=_("社区活动"),
    unit=TIMES,
    definition=_("社区活动和宣传活动的场次（按活动日期）"),
    records=lambda s: in_period(s.of(Activity.objects.all()), "on", s),
    date_field="on",
)
def activities(scope: Scope) -> int:
    return _activities(scope)["count"]


@metric(
    "activity_participants",
    label=_("活动参与人次"),
    unit=PERSONS,
    definition=_("社区活动和宣传活动的参与人数之和"),
    records=lambda s: in_period(s.of(Activity.objects.all()), "on", s).filter(participants__gt=0),
    sum_of="participants",
)
def activity_participants(scope: Scope) -> int:
    return _activities(scope)["participants"]


@metric(
    "leaflets.activities",
    label=_("活动发放宣传资料"),
    unit=pgettext_lazy("unit", "份"),
    definition=_("社区活动和宣传活动中发放的宣传资料份数"),
    records=lambda s: in_period(s.of(Activity.objects.all()), "on", s).filter(leaflets__gt=0),
    sum_of="leaflets",
)
def leaflets_activities(scope: Scope) -> int:
    return _activities(scope)["leaflets"]


@metric(
    "social_workers",
    label=_("社工"),
    unit=PERSONS,
    definition=_("在区域（含下级）持有社工角色的用户数"),
    records=lambda s: _social_workers(s),
)
def social_workers(scope: Scope) -> int:
    return _social_workers(scope).count()


def _social_workers(scope: Scope) -> QuerySet[Any]:
    """The active users granted the social-worker role in the region's subtree, as the user sees it."""
    regions = scope.of(Region.objects.all()).values("id")
    grants = RoleGrant.objects.filter(role=Role.SOCIAL_WORKER, region_id__in=regions)
    return get_user_model().objects.filter(is_active=True, pk__in=grants.values("user_id"))


@metric(
    "services",
    label=_("服务次数"),
    unit=TIMES,
    definition=_("个案服务记录、小组活动节次和社区活动之和"),
    parts=lambda s: [("case_services", s), ("group_sessions", s), ("activities", s)],
    trend=True,
)
def services(scope: Scope) -> int:
    return _case_services(scope) + _sessions(scope) + _activities(scope)["count"]
