"""Figures of work and income, computed from the records, each with its drill-down: courses and
trainees (those in work at their latest follow-up), micro-factories (investment in yuan, workers,
the households with a member at work), job fairs (enterprises, positions offered, hires) and
public-welfare posts (persons and households placed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric
from wushe.registry.models import Household, Person

from .models import (
    Application,
    ApplicationStatus,
    Course,
    Enrolment,
    FairEnterprise,
    Investment,
    JobFair,
    MicroFactory,
    Position,
    Recommendation,
    Worker,
)
from .selectors import latest_working

PEOPLE = pgettext_lazy("unit", "人")
HOUSEHOLDS = pgettext_lazy("unit", "户")
ITEMS = pgettext_lazy("unit", "个")
YUAN = pgettext_lazy("unit", "元")


def _overlapping(qs: Any, scope: Scope, start: str, end: str) -> Any:
    """Records whose span (``start``–``end``, an open end still running) meets the period."""
    if scope.end is not None:
        qs = qs.filter(**{f"{start}__lte": scope.end})
    if scope.start is not None:
        qs = qs.filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": scope.start}))
    return qs


# ---- training -----------------------------------------------------------------------------------


def _courses(scope: Scope) -> Any:
    return scope.in_period(scope.of(Course.objects.all()), "start_on")


@metric(
    "trainings",
    label=_("技能培训班"),
    unit=pgettext_lazy("unit", "期"),
    definition=_("期间内开班的技能培训课程数"),
    records=_courses,
)
def trainings(scope: Scope) -> int:
    return int(_courses(scope).count())


def _trainees(scope: Scope) -> QuerySet[Person]:
    enrolled = scope.in_period(scope.of(Enrolment.objects.all()), "course__start_on")
    return Person.objects.filter(pk__in=enrolled.values("person_id"))


@metric(
    "trainees",
    label=_("参训人员"),
    unit=PEOPLE,
    definition=_("期间内开班的培训课程的学员（每人计一次）"),
    records=_trainees,
)
def trainees(scope: Scope) -> int:
    return int(_trainees(scope).count())


def _employed(scope: Scope) -> QuerySet[Person]:
    enrolled = scope.of(Enrolment.objects.all())
    if scope.end is not None:
        enrolled = enrolled.filter(course__start_on__lte=scope.end)
    return Person.objects.filter(pk__in=latest_working(enrolled, scope.end).values("person_id"))


@metric(
    "trainees.employed",
    label=_("培训后就业（含灵活就业）"),
    unit=PEOPLE,
    definition=_("参训人员中最近一次跟踪回访时处于就业、灵活就业或自主创业的人数"),
    records=_employed,
    period="as_of",
)
def trainees_employed(scope: Scope) -> int:
    return int(_employed(scope).count())


# ---- micro-factories ----------------------------------------------------------------------------


def _factories(scope: Scope) -> Any:
    qs = scope.of(MicroFactory.objects.all())
    if scope.end is not None:
        qs = qs.filter(opened_on__lte=scope.end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=scope.end)
        )
    else:
        qs = qs.filter(closed_on__isnull=True)
    return qs


@metric(
    "microfactories",
    label=_("微工厂"),
    unit=ITEMS,
    definition=_("期末在运营的微工厂数"),
    records=_factories,
    period="as_of",
)
def microfactories(scope: Scope) -> int:
    return int(_factories(scope).count())


def _investments(scope: Scope) -> Any:
    return scope.in_period(scope.of(Investment.objects.all()), "invested_on")


def _sum(records: QuerySet[Any], field: str) -> Decimal:
    return Decimal(records.aggregate(t=Sum(field))["t"] or 0).quantize(Decimal("0.01"))


@metric(
    "microfactories.investment",
    label=_("微工厂投入资金"),
    unit=YUAN,
    definition=_("期间内投入微工厂的资金（项目、慈善基金支出和政府资金）"),
    records=_investments,
    sum_of="amount",
)
def microfactories_investment(scope: Scope) -> Decimal:
    return _sum(_investments(scope), "amount")


def _at_work(scope: Scope) -> Any:
    return _overlapping(scope.of(Worker.objects.all()), scope, "started_on", "ended_on")


def _workers(scope: Scope) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=_at_work(scope).values("person_id"))


@metric(
    "microfactories.workers",
    label=_("微工厂务工人员"),
    unit=PEOPLE,
    definition=_("期间内在微工厂务工的人数（每人计一次）"),
    records=_workers,
)
def microfactories_workers(scope: Scope) -> int:
    return int(_workers(scope).count())


def _factory_families(scope: Scope) -> QuerySet[Household]:
    return Household.objects.filter(
        pk__in=_at_work(scope).filter(household__isnull=False).values("household_id")
    )


@metric(
    "microfactories.families",
    label=_("微工厂带动家庭"),
    unit=HOUSEHOLDS,
    definition=_("期间内有成员在微工厂务工的家庭数"),
    records=_factory_families,
)
def microfactories_families(scope: Scope) -> int:
    return int(_factory_families(scope).count())


# ---- job fairs ----------------------------------------------------------------------------------


def _fairs(scope: Scope) -> Any:
    return scope.in_period(scope.of(JobFair.objects.all()), "held_on")


@metric(
    "jobfairs",
    label=_("招聘会"),
    unit=pgettext_lazy("unit", "场"),
    definition=_("期间内举办的招聘会场数"),
    records=_fairs,
)
def jobfairs(scope: Scope) -> int:
    return int(_fairs(scope).count())


def _fair_enterprises(scope: Scope) -> Any:
    return scope.in_period(scope.of(FairEnterprise.objects.all()), "fair__held_on")


@metric(
    "jobfairs.enterprises",
    label=_("招聘会参会企业"),
    unit=pgettext_lazy("unit", "家次"),
    definition=_("期间内各场招聘会的参会企业（一家企业参加一场计一次）"),
    records=_fair_enterprises,
)
def jobfairs_enterprises(scope: Scope) -> int:
    return int(_fair_enterprises(scope).count())


def _positions(scope: Scope) -> Any:
    return scope.in_period(scope.of(Position.objects.all()), "enterprise__fair__held_on")


@metric(
    "jobfairs.positions",
    label=_("招聘会提供岗位"),
    unit=pgettext_lazy("unit", "个"),
    definition=_("期间内招聘会上企业提供的岗位数（各岗位招聘人数之和）"),
    records=_positions,
    sum_of="openings",
)
def jobfairs_positions(scope: Scope) -> int:
    return int(_positions(scope).aggregate(t=Sum("openings"))["t"] or 0)


def _hires(scope: Scope) -> Any:
    return scope.in_period(scope.of(Application.objects.filter(status=ApplicationStatus.HIRED)), "hired_on")


@metric(
    "jobfairs.hires",
    label=_("招聘会录用"),
    unit=PEOPLE,
    definition=_("期间内经招聘会录用的人次"),
    records=_hires,
)
def jobfairs_hires(scope: Scope) -> int:
    return int(_hires(scope).count())


# ---- public-welfare posts -----------------------------------------------------------------------


def _placements(scope: Scope) -> Any:
    placed = scope.of(Recommendation.objects.filter(placed_on__isnull=False))
    return _overlapping(placed, scope, "placed_on", "left_on")


def _placed(scope: Scope) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=_placements(scope).values("person_id"))


@metric(
    "welfare_posts.placed",
    label=_("公益岗位安置人员"),
    unit=PEOPLE,
    definition=_("期间内在公益岗位上岗的人数（每人计一次）"),
    records=_placed,
)
def welfare_posts_placed(scope: Scope) -> int:
    return int(_placed(scope).count())


def _placed_families(scope: Scope) -> QuerySet[Household]:
    return Household.objects.filter(
        pk__in=_placements(scope).filter(household__isnull=False).values("household_id")
    )


@metric(
    "welfare_posts.families",
    label=_("公益岗位安置家庭"),
    unit=HOUSEHOLDS,
    definition=_("期间内有成员在公益岗位上岗的家庭数"),
    records=_placed_families,
)
def welfare_posts_families(scope: Scope) -> int:
    return int(_placed_families(scope).count())


# ---- how the drill-down lists them ------------------------------------------------------------

drill_columns(
    Course,
    [
        Column(_("课程名称"), lambda c: c.title, 24),
        Column(_("培训类型"), lambda c: c.get_kind_display(), 12),
        Column(_("举办区域"), lambda c: region_name(c.region), 20),
        Column(_("开始日期"), lambda c: c.start_on, 12),
        Column(_("结束日期"), lambda c: c.end_on, 12),
        Column(_("课次"), lambda c: c.sessions, 8),
    ],
    url=lambda c: reverse("employment:course_detail", args=[c.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent"),
)

drill_columns(
    MicroFactory,
    [
        Column(_("名称"), lambda f: f.name, 24),
        Column(_("所在社区"), lambda f: region_name(f.region), 20),
        Column(_("运营方"), lambda f: f.operator.name, 24),
        Column(_("开办日期"), lambda f: f.opened_on, 12),
        Column(_("生产内容"), lambda f: f.products, 30),
    ],
    url=lambda f: reverse("employment:factory_detail", args=[f.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent", "operator"),
)

drill_columns(
    Investment,
    [
        Column(_("微工厂"), lambda i: i.factory.name, 24),
        Column(_("投入日期"), lambda i: i.invested_on, 12),
        Column(_("金额（元）"), lambda i: i.amount, 14),
        Column(_("资金来源"), lambda i: i.get_source_display(), 14),
        Column(
            _("来源说明"),
            lambda i: (
                i.project.name if i.project else i.disbursement.purpose if i.disbursement else i.department
            ),
            30,
        ),
    ],
    url=lambda i: reverse("employment:factory_detail", args=[i.factory_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "factory", "project", "disbursement"),
)

drill_columns(
    JobFair,
    [
        Column(_("名称"), lambda f: f.title, 24),
        Column(_("举办日期"), lambda f: f.held_on, 12),
        Column(_("举办区域"), lambda f: region_name(f.region), 20),
        Column(_("地点"), lambda f: f.place, 20),
        Column(_("入场人数"), lambda f: f.visitors, 10),
    ],
    url=lambda f: reverse("employment:fair_detail", args=[f.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent"),
)

drill_columns(
    FairEnterprise,
    [
        Column(_("企业"), lambda e: e.organization.name, 28),
        Column(_("统一社会信用代码"), lambda e: e.organization.credit_code, 20),
        Column(_("招聘会"), lambda e: e.fair.title, 24),
        Column(_("举办日期"), lambda e: e.fair.held_on, 12),
    ],
    url=lambda e: reverse("employment:fair_detail", args=[e.fair_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "organization", "fair"),
)

drill_columns(
    Position,
    [
        Column(_("岗位"), lambda p: p.title, 20),
        Column(_("企业"), lambda p: p.enterprise.organization.name, 28),
        Column(_("招聘人数"), lambda p: p.openings, 10),
        Column(_("月薪（元）"), lambda p: f"{p.pay_min or ''}–{p.pay_max or ''}", 16),
        Column(_("适合残疾人"), lambda p: _("是") if p.suits_disabled else _("否"), 10),
    ],
    url=lambda p: reverse("employment:fair_detail", args=[p.enterprise.fair_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "enterprise__organization"),
)

drill_columns(
    Application,
    [
        Column(_("姓名"), lambda a: a.person.name, 10),
        Column(_("岗位"), lambda a: a.position.title, 20),
        Column(_("企业"), lambda a: a.position.enterprise.organization.name, 28),
        Column(_("录用日期"), lambda a: a.hired_on or "", 12),
    ],
    url=lambda a: reverse("employment:fair_detail", args=[a.position.enterprise.fair_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "person", "position__enterprise__organization"),
    defer=(),
)
