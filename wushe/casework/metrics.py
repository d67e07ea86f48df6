"""Figures of case work, group work and activities (and the social workers who do them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric
from wushe.core.models import Region
from wushe.registry.selectors import masked_people

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
        return qs.aggregate(total=Count("id"), open=Count("id", filter=~Q(stage=CaseStage.CLOSED)))

    return scope.memo("cases", load)


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
    return scope.memo(
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
    return scope.memo(
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

    return scope.memo("activities", load)


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


# ---- how the drill-down lists cases, groups, activities and social workers -------------------


def _counts(qs: QuerySet[Any], field: str, objs: list[Any]) -> dict[int, int]:
    """How many rows of ``qs`` point at each of ``objs`` through ``field``, in one query."""
    qs = qs.filter(**{f"{field}__in": [o.pk for o in objs]}).order_by()
    return dict(qs.values_list(field).annotate(n=Count("id")).values_list(field, "n"))


def _prepare_cases(cases: list[Case]) -> None:
    prefetch_related_objects(cases, "region__parent", "worker", "organization", masked_people("person"))


def _prepare_services(services: list[CaseService]) -> None:
    prefetch_related_objects(services, "case__region__parent", "worker", masked_people("case__person"))


def _prepare_groups(groups: list[Any]) -> None:
    prefetch_related_objects(groups, "region__parent", "organization")
    members = _counts(Group.members.through.objects.all(), "group", groups)
    sessions = _counts(GroupSession.objects.all(), "group", groups)
    for g in groups:
        g.member_count, g.session_count = members.get(g.pk, 0), sessions.get(g.pk, 0)


def _prepare_sessions(sessions: list[Any]) -> None:
    prefetch_related_objects(sessions, "group__region__parent")
    attendees = _counts(GroupSession.attendees.through.objects.all(), "groupsession", sessions)
    for s in sessions:
        s.attendee_count = attendees.get(s.pk, 0)


def _prepare_activities(activities: list[Activity]) -> None:
    prefetch_related_objects(activities, "region__parent", "organizer")


def _prepare_workers(users: list[Any]) -> None:
    grants = RoleGrant.objects.filter(role=Role.SOCIAL_WORKER).select_related("region__parent")
    prefetch_related_objects(
        users, Prefetch("grants", queryset=grants.order_by("region__code"), to_attr="social_worker_grants")
    )


def _case_url(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.pk])


def _group_url(group: Group) -> str:
    return reverse("casework:group_detail", args=[group.pk])


drill_columns(
    Case,
    [
        Column(_("个案编号"), lambda c: c.number, 14),
        Column(_("服务对象"), lambda c: c.person.name, 10),
        Column(_("身份证号码"), lambda c: c.person.id_masked, 22),
        Column(_("阶段"), lambda c: c.get_stage_display(), 8),
        Column(_("负责社工"), lambda c: str(c.worker or ""), 12),
        Column(_("承接机构"), lambda c: c.organization.name if c.organization else "", 24),
        Column(_("接案日期"), lambda c: c.opened_on, 12),
        Column(_("结案日期"), lambda c: c.closed_on, 12),
        Column(_("所属区域"), lambda c: region_name(c.region), 24),
    ],
    url=_case_url,
    prepare=_prepare_cases,
)
drill_columns(
    CaseService,
    [
        Column(_("服务日期"), lambda s: s.on, 12),
        Column(_("个案编号"), lambda s: s.case.number, 14),
        Column(_("服务对象"), lambda s: s.case.person.name, 10),
        Column(_("服务时长（分钟）"), lambda s: s.minutes, 10),
        Column(_("服务社工"), lambda s: str(s.worker or ""), 12),
        Column(_("服务内容"), lambda s: s.content, 30),
        Column(_("所属区域"), lambda s: region_name(s.case.region), 24),
    ],
    url=lambda s: _case_url(s.case),
    prepare=_prepare_services,
)
drill_columns(
    Group,
    [
        Column(_("小组名称"), lambda g: g.name, 20),
        Column(_("承接机构"), lambda g: g.organization.name if g.organization else "", 24),
        Column(_("开始日期"), lambda g: g.starts_on, 12),
        Column(_("结束日期"), lambda g: g.ends_on, 12),
        Column(_("组员人数"), lambda g: g.member_count, 8),
        Column(_("活动节次"), lambda g: g.session_count, 8),
        Column(_("所属区域"), lambda g: region_name(g.region), 24),
    ],
    url=_group_url,
    prepare=_prepare_groups,
)
drill_columns(
    GroupSession,
    [
        Column(_("日期"), lambda s: s.on, 12),
        Column(_("小组"), lambda s: s.group.name, 20),
        Column(_("节次"), lambda s: s.number, 6),
        Column(_("主题"), lambda s: s.topic, 24),
        Column(_("出席人数"), lambda s: s.attendee_count, 8),
        Column(_("所属区域"), lambda s: region_name(s.group.region), 24),
    ],
    url=lambda s: _group_url(s.group),
    prepare=_prepare_sessions,
)
drill_columns(
    Activity,
    [
        Column(_("活动名称"), lambda a: a.title, 24),
        Column(_("活动类型"), lambda a: a.get_kind_display(), 10),
        Column(_("活动日期"), lambda a: a.on, 12),
        Column(_("地点"), lambda a: a.place, 20),
        Column(_("主办方"), lambda a: str(a.organizer or a.get_organizer_kind_display()), 20),
        Column(_("参与人数"), lambda a: a.participants, 8),
        Column(_("发放宣传资料（份）"), lambda a: a.leaflets, 10),
        Column(_("所属区域"), lambda a: region_name(a.region), 24),
    ],
    url=lambda a: reverse("casework:activity_detail", args=[a.pk]),
    prepare=_prepare_activities,
)
drill_columns(
    get_user_model(),
    [
        Column(_("姓名"), str, 12),
        Column(_("用户名"), lambda u: u.username, 16),
        Column(
            _("社工授权区域"), lambda u: "、".join(region_name(g.region) for g in u.social_worker_grants), 36
        ),
    ],
    prepare=_prepare_workers,
)
