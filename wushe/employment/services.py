"""Every write of work and income: keyword-only, checked, atomic. Courses, micro-factories, job
fairs and posts are set up by who keeps the lists (``MANAGE_LISTS``); enrolments, attendance,
follow-ups, workers, applications and recommendations by who does the outreach
(``RECORD_OUTREACH``); a recommendation is approved by the provider's side (``MANAGE_LISTS``),
never by the one who recommended."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS, RECORD_OUTREACH
from wushe.core.checks import count, not_future, require_visible, text, today
from wushe.core.history import actor
from wushe.core.ledger import money
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.validators import validate_credit_code
from wushe.funds.models import Disbursement, DisbursementStatus
from wushe.partners.models import Organization, OrganizationKind
from wushe.partners.services import organization_get_or_create
from wushe.projects.models import Project
from wushe.registry.models import Person, PersonStatus

from .models import (
    Application,
    ApplicationStatus,
    Attendance,
    Course,
    CourseKind,
    Enrolment,
    FactoryMonth,
    FairEnterprise,
    FlexibleKind,
    FollowUp,
    FollowUpPlan,
    HireFollowUp,
    Investment,
    InvestmentSource,
    JobFair,
    MicroFactory,
    Outcome,
    Position,
    PostConfirmation,
    Provider,
    Recommendation,
    RecommendationStatus,
    WelfarePost,
    Worker,
    WorkerMonth,
    parse_months,
)

DEFAULT_MONTHS = (1, 3, 6)


def _outreach(user: User | None) -> None:
    if user is not None and not (user.has_perm(RECORD_OUTREACH) or user.has_perm(MANAGE_LISTS)):
        raise PermissionDenied(_("您没有执行此操作的权限"))


def _dates(start: datetime.date, end: datetime.date, *, start_field: str, end_field: str) -> None:
    if end < start:
        raise ValidationError({end_field: _("结束日期不能早于开始日期")})


def _choice(value: str, choices: Iterable[str], field: str) -> str:
    if value not in choices:
        raise ValidationError({field: _("无效的选项：%(v)s") % {"v": value}})
    return value


def _resident(user: User | None, person: Person, field: str = "person") -> None:
    require_visible(user, person, field)
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({field: _("该居民不在册")})


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _paid(value: Decimal | int | str | None, field: str) -> Decimal:
    """A required amount of money, 0 or more."""
    amount = _pay(value, field, required=True)
    assert amount is not None  # required: _pay raised otherwise
    return amount


def _pay(value: Decimal | int | str | None, field: str, *, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("请填写此项")})
        return None
    amount = money(value, field=field)
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数")})
    return amount


# ---- training -----------------------------------------------------------------------------------


def follow_up_months(region: Region) -> tuple[int, ...]:
    """The months a region follows its trainees up: the plan of the region or the nearest region
    above it that has one, else ``WUSHE_TRAINING_FOLLOW_UP_MONTHS`` (1, 3, 6)."""
    node: Region | None = region
    while node is not None:
        plan = FollowUpPlan.objects.filter(region=node).first()
        if plan is not None:
            try:
                return parse_months(plan.months)
            except ValidationError as exc:
                raise ValidationError({"month": exc.messages}) from None
        node = node.parent
    return tuple(getattr(settings, "WUSHE_TRAINING_FOLLOW_UP_MONTHS", DEFAULT_MONTHS))


@transaction.atomic
def course_create(
    *,
    acting_user: User | None,
    region: Region,
    title: str,
    kind: str,
    start_on: datetime.date,
    end_on: datetime.date,
    sessions: int,
    organizer: Organization | None = None,
    trainer: str = "",
    place: str = "",
    target_group: str = "",
    project: Project | None = None,
) -> Course:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    _dates(start_on, end_on, start_field="start_on", end_field="end_on")
    n = count(sessions, "sessions", label=_("课次"), maximum=200)
    if n < 1:
        raise ValidationError({"sessions": _("课次至少为1")})
    return Course.objects.create(
        region=region,
        title=text(title, "title", max_length=100, required=True),
        kind=_choice(kind, CourseKind.values, "kind"),
        organizer=organizer,
        trainer=text(trainer, "trainer", max_length=60),
        place=text(place, "place", max_length=100),
        start_on=start_on,
        end_on=end_on,
        sessions=n,
        target_group=text(target_group, "target_group", max_length=100),
        project=project,
        created_by=actor(acting_user),
    )


@transaction.atomic
def enrolment_create(
    *, acting_user: User | None, course: Course, person: Person, enrolled_on: datetime.date | None = None
) -> Enrolment:
    _outreach(acting_user)
    _resident(acting_user, person)
    day = enrolled_on or today()
    not_future(day, "enrolled_on")
    if Enrolment.objects.filter(course=course, person=person).exists():
        raise ValidationError({"person": _("该居民已报名此课程")})
    return Enrolment.objects.create(
        course=course,
        person=person,
        region_id=person.region_id,
        enrolled_on=day,
        created_by=actor(acting_user),
    )


@transaction.atomic
def attendance_record(
    *, acting_user: User | None, course: Course, session: int, present: Sequence[Enrolment]
) -> int:
    """One session's attendance: every enrolment of the course is marked present or absent
    (recording a session again replaces it). Returns how many were present."""
    _outreach(acting_user)
    n = count(session, "session", label=_("课次"), maximum=course.sessions)
    if n < 1:
        raise ValidationError({"session": _("课次须在1到%(m)s之间") % {"m": course.sessions}})
    if course.start_on > today():
        raise ValidationError({"session": _("课程尚未开始")})
    here = {e.pk for e in present}
    enrolments = list(course.enrolments.all())
    if here - {e.pk for e in enrolments}:
        raise ValidationError({"present": _("出勤名单中有未报名此课程的人员")})
    Attendance.objects.filter(enrolment__course=course, session=n).delete()
    Attendance.objects.bulk_create(
        Attendance(enrolment=e, session=n, present=e.pk in here, recorded_by=actor(acting_user))
        for e in enrolments
    )
    return len(here)


@transaction.atomic
def enrolment_complete(
    *, acting_user: User | None, enrolment: Enrolment, completed_on: datetime.date | None = None
) -> Enrolment:
    _outreach(acting_user)
    day = completed_on or today()
    not_future(day, "completed_on")
    if day < enrolment.course.start_on:
        raise ValidationError({"completed_on": _("结业日期不能早于课程开始日期")})
    enrolment.completed_on = day
    enrolment.save(update_fields=["completed_on"])
    return enrolment


@transaction.atomic
def follow_up_record(
    *,
    acting_user: User | None,
    enrolment: Enrolment,
    month: int,
    outcome: str,
    followed_on: datetime.date | None = None,
    flexible_kind: str = "",
    monthly_income: Decimal | int | str | None = None,
    note: str = "",
) -> FollowUp:
    """The trainee's work at one of the configured months after the course (recorded again, it
    is corrected)."""
    _outreach(acting_user)
    months = follow_up_months(enrolment.course.region)
    if month not in months:
        raise ValidationError(
            {"month": _("跟踪月份须为%(m)s之一") % {"m": "、".join(str(m) for m in months)}}
        )
    _choice(outcome, Outcome.values, "outcome")
    _choice(flexible_kind, FlexibleKind.values, "flexible_kind")
    if outcome == Outcome.FLEXIBLE and not flexible_kind:
        raise ValidationError({"flexible_kind": _("灵活就业须说明方式（直播带货、手工订单、平台零工……）")})
    if outcome != Outcome.FLEXIBLE:
        flexible_kind = ""
    day = followed_on or today()
    not_future(day, "followed_on")
    if day < enrolment.course.end_on:
        raise ValidationError({"followed_on": _("回访日期不能早于课程结束日期")})
    income = _pay(monthly_income, "monthly_income")
    if outcome == Outcome.NOT_WORKING and income:
        raise ValidationError({"monthly_income": _("未就业时不应填写务工收入")})
    follow_up, _created = FollowUp.objects.update_or_create(
        enrolment=enrolment,
        month=month,
        defaults={
            "followed_on": day,
            "outcome": outcome,
            "flexible_kind": flexible_kind,
            "monthly_income": income,
            "note": text(note, "note", max_length=200),
            "created_by": actor(acting_user),
        },
    )
    return follow_up


# ---- micro-factories ----------------------------------------------------------------------------


@transaction.atomic
def factory_create(
    *,
    acting_user: User | None,
    region: Region,
    name: str,
    operator: Organization,
    opened_on: datetime.date,
    products: str,
) -> MicroFactory:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    if region.level not in (RegionLevel.COMMUNITY, RegionLevel.GRID):
        raise ValidationError({"region": _("微工厂须设在社区")})
    name = text(name, "name", max_length=100, required=True)
    not_future(opened_on, "opened_on")
    if MicroFactory.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("本社区已有同名微工厂")})
    return MicroFactory.objects.create(
        region=region,
        name=name,
        operator=operator,
        opened_on=opened_on,
        products=text(products, "products", max_length=200, required=True),
        created_by=actor(acting_user),
    )


@transaction.atomic
def investment_record(
    *,
    acting_user: User | None,
    factory: MicroFactory,
    amount: Decimal | int | str,
    source: str,
    invested_on: datetime.date | None = None,
    project: Project | None = None,
    disbursement: Disbursement | None = None,
    department: str = "",
) -> Investment:
    """Money put into a micro-factory, with where it came from: a project, a charity fund's paid
    disbursement (never more than what it paid, over all the factories it went to), or
    government money (the department named)."""
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, factory.region, field="factory")
    value = money(amount)
    if value <= 0:
        raise ValidationError({"amount": _("金额须大于0")})
    _choice(source, InvestmentSource.values, "source")
    day = invested_on or today()
    not_future(day, "invested_on")
    department = text(department, "department", max_length=100)
    if source == InvestmentSource.PROJECT:
        if project is None:
            raise ValidationError({"project": _("请选择资金来源项目")})
        disbursement = None
    elif source == InvestmentSource.FUND:
        if disbursement is None:
            raise ValidationError({"disbursement": _("请选择慈善基金的支出")})
        locked = Disbursement.objects.select_for_update(of=("self",)).get(pk=disbursement.pk)
        if locked.status != DisbursementStatus.PAID:
            raise ValidationError({"disbursement": _("只能引用已支付的基金支出")})
        used = Investment.objects.filter(disbursement=locked).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        if used + value > locked.amount:
            raise ValidationError(
                {"amount": _("超过该笔基金支出的可用金额（%(a)s元）") % {"a": locked.amount - used}}
            )
        project = None
    else:
        if not department:
            raise ValidationError({"department": _("政府资金须填写拨款部门")})
        project = disbursement = None
    return Investment.objects.create(
        factory=factory,
        amount=value,
        invested_on=day,
        source=source,
        project=project,
        disbursement=disbursement,
        department=department,
        created_by=actor(acting_user),
    )


@transaction.atomic
def worker_add(
    *,
    acting_user: User | None,
    factory: MicroFactory,
    person: Person,
    started_on: datetime.date | None = None,
    work: str = "",
) -> Worker:
    _outreach(acting_user)
    require_visible(acting_user, factory, "factory")
    _resident(acting_user, person)
    day = started_on or today()
    not_future(day, "started_on")
    if day < factory.opened_on:
        raise ValidationError({"started_on": _("开始日期不能早于微工厂开办日期")})
    if Worker.objects.filter(factory=factory, person=person, ended_on__isnull=True).exists():
        raise ValidationError({"person": _("该居民已在本微工厂务工")})
    return Worker.objects.create(
        factory=factory,
        person=person,
        household_id=person.household_id,
        started_on=day,
        work=text(work, "work", max_length=60),
        created_by=actor(acting_user),
    )


@transaction.atomic
def worker_end(*, acting_user: User | None, worker: Worker, ended_on: datetime.date | None = None) -> Worker:
    _outreach(acting_user)
    day = ended_on or today()
    not_future(day, "ended_on")
    if worker.ended_on is not None:
        raise ValidationError({"ended_on": _("该人员已结束务工")})
    if day < worker.started_on:
        raise ValidationError({"ended_on": _("结束日期不能早于开始日期")})
    worker.ended_on = day
    worker.save(update_fields=["ended_on"])
    return worker


@transaction.atomic
def worker_month_record(
    *,
    acting_user: User | None,
    worker: Worker,
    month: datetime.date,
    pay: Decimal | int | str,
    hours: Decimal | int | str | None = None,
    pieces: int | None = None,
) -> WorkerMonth:
    _outreach(acting_user)
    first = _month(month)
    if first > _month(today()):
        raise ValidationError({"month": _("月份不能晚于本月")})
    if first < _month(worker.started_on) or (worker.ended_on and first > _month(worker.ended_on)):
        raise ValidationError({"month": _("该月份不在务工期间内")})
    amount = _pay(pay, "pay", required=True)
    h = None
    if hours not in (None, ""):
        try:
            h = Decimal(str(hours))
        except ArithmeticError:
            raise ValidationError({"hours": _("工时须为数字")}) from None
        if h < 0 or h > 744:
            raise ValidationError({"hours": _("工时须在0到744之间")})
    p = None if pieces is None else count(pieces, "pieces", label=_("计件数"), maximum=10_000_000)
    row, _created = WorkerMonth.objects.update_or_create(
        worker=worker,
        month=first,
        defaults={"pay": amount, "hours": h, "pieces": p, "created_by": actor(acting_user)},
    )
    return row


@transaction.atomic
def factory_month_record(
    *,
    acting_user: User | None,
    factory: MicroFactory,
    month: datetime.date,
    orders: int,
    output: Decimal | int | str,
    note: str = "",
) -> FactoryMonth:
    _outreach(acting_user)
    require_visible(acting_user, factory, "factory")
    first = _month(month)
    if first > _month(today()):
        raise ValidationError({"month": _("月份不能晚于本月")})
    row, _created = FactoryMonth.objects.update_or_create(
        factory=factory,
        month=first,
        defaults={
            "orders": count(orders, "orders", label=_("订单数"), maximum=10_000_000),
            "output": _pay(output, "output", required=True),
            "note": text(note, "note", max_length=200),
            "created_by": actor(acting_user),
        },
    )
    return row


# ---- job fairs ----------------------------------------------------------------------------------


@transaction.atomic
def job_fair_create(
    *,
    acting_user: User | None,
    region: Region,
    title: str,
    held_on: datetime.date,
    place: str,
    organizer: str,
    visitors: int = 0,
) -> JobFair:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    return JobFair.objects.create(
        region=region,
        title=text(title, "title", max_length=100, required=True),
        held_on=held_on,
        place=text(place, "place", max_length=100, required=True),
        organizer=text(organizer, "organizer", max_length=100, required=True),
        visitors=count(visitors, "visitors", label=_("入场人数"), maximum=1_000_000),
        created_by=actor(acting_user),
    )


@transaction.atomic
def fair_enterprise_add(
    *,
    acting_user: User | None,
    fair: JobFair,
    organization: Organization | None = None,
    name: str = "",
    credit_code: str = "",
) -> FairEnterprise:
    """An enterprise taking part: an organization already known, or one registered here by its
    name and 统一社会信用代码. The code is required and checked (GB 32100, the project's
    validator): a wrong length or alphabet is refused, a failed check character kept with its
    warning, as everywhere."""
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, fair.region, field="fair")
    if organization is None:
        name = text(name, "name", max_length=100, required=True)
        code = text(credit_code, "credit_code", required=True, message=_("请填写统一社会信用代码"))
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from None
        organization = organization_get_or_create(
            acting_user=acting_user,
            region=fair.region,
            kind=OrganizationKind.ENTERPRISE,
            name=name,
            credit_code=code,
        )
    if not organization.credit_code:
        raise ValidationError({"organization": _("参会企业须有统一社会信用代码")})
    try:
        _code, warnings = validate_credit_code(organization.credit_code)
    except ValidationError as exc:
        raise ValidationError({"organization": exc.messages}) from None
    if FairEnterprise.objects.filter(fair=fair, organization=organization).exists():
        raise ValidationError({"organization": _("该企业已登记参加本次招聘会")})
    return FairEnterprise.objects.create(
        fair=fair, organization=organization, credit_code_warning="；".join(str(w) for w in warnings)
    )


@transaction.atomic
def position_add(
    *,
    acting_user: User | None,
    enterprise: FairEnterprise,
    title: str,
    openings: int,
    pay_min: Decimal | int | str | None = None,
    pay_max: Decimal | int | str | None = None,
    suits_disabled: bool = False,
) -> Position:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, enterprise.fair.region, field="fair")
    n = count(openings, "openings", label=_("招聘人数"), maximum=100_000)
    if n < 1:
        raise ValidationError({"openings": _("招聘人数至少为1")})
    low, high = _pay(pay_min, "pay_min"), _pay(pay_max, "pay_max")
    if low is not None and high is not None and high < low:
        raise ValidationError({"pay_max": _("月薪上限不能低于下限")})
    return Position.objects.create(
        enterprise=enterprise,
        title=text(title, "title", max_length=60, required=True),
        openings=n,
        pay_min=low,
        pay_max=high,
        suits_disabled=bool(suits_disabled),
    )


@transaction.atomic
def application_create(
    *, acting_user: User | None, position: Position, person: Person, applied_on: datetime.date | None = None
) -> Application:
    _outreach(acting_user)
    _resident(acting_user, person)
    fair = position.enterprise.fair
    day = applied_on or fair.held_on
    not_future(day, "applied_on")
    if Application.objects.filter(position=position, person=person).exists():
        raise ValidationError({"person": _("该居民已投递此岗位")})
    return Application.objects.create(
        position=position,
        person=person,
        region_id=fair.region_id,
        applied_on=day,
        created_by=actor(acting_user),
    )


@transaction.atomic
def application_decide(
    *, acting_user: User | None, application: Application, hired: bool, hired_on: datetime.date | None = None
) -> Application:
    _outreach(acting_user)
    locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if locked.status != ApplicationStatus.APPLIED:
        raise ValidationError({"status": _("该申请已有结果")})
    if hired:
        day = hired_on or today()
        not_future(day, "hired_on")
        if day < locked.applied_on:
            raise ValidationError({"hired_on": _("录用日期不能早于投递日期")})
        taken = Application.objects.filter(
            position_id=locked.position_id, status=ApplicationStatus.HIRED
        ).count()
        if taken >= locked.position.openings:
            raise ValidationError({"status": _("该岗位的招聘人数已满")})
        locked.status, locked.hired_on = ApplicationStatus.HIRED, day
    else:
        locked.status, locked.hired_on = ApplicationStatus.DECLINED, None
    locked.save(update_fields=["status", "hired_on"])
    return locked


@transaction.atomic
def hire_follow_up_record(
    *,
    acting_user: User | None,
    application: Application,
    still_working: bool,
    followed_on: datetime.date | None = None,
    monthly_income: Decimal | int | str | None = None,
    note: str = "",
) -> HireFollowUp:
    _outreach(acting_user)
    if application.status != ApplicationStatus.HIRED or application.hired_on is None:
        raise ValidationError({"application": _("只有已录用的人员才能回访")})
    day = followed_on or today()
    not_future(day, "followed_on")
    if day < application.hired_on:
        raise ValidationError({"followed_on": _("回访日期不能早于录用日期")})
    return HireFollowUp.objects.create(
        application=application,
        followed_on=day,
        still_working=bool(still_working),
        monthly_income=_pay(monthly_income, "monthly_income"),
        note=text(note, "note", max_length=200),
        created_by=actor(acting_user),
    )


# ---- public-welfare posts -----------------------------------------------------------------------


@transaction.atomic
def welfare_post_create(
    *,
    acting_user: User | None,
    region: Region,
    provider: str,
    title: str,
    places: int,
    monthly_pay: Decimal | int | str,
    start_on: datetime.date,
    end_on: datetime.date,
) -> WelfarePost:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    _choice(provider, Provider.values, "provider")
    n = count(places, "places", label=_("岗位数"), maximum=100_000)
    if n < 1:
        raise ValidationError({"places": _("岗位数至少为1")})
    _dates(start_on, end_on, start_field="start_on", end_field="end_on")
    return WelfarePost.objects.create(
        region=region,
        provider=provider,
        title=text(title, "title", max_length=100, required=True),
        places=n,
        monthly_pay=_paid(monthly_pay, "monthly_pay"),
        start_on=start_on,
        end_on=end_on,
        created_by=actor(acting_user),
    )


@transaction.atomic
def recommendation_create(
    *, acting_user: User | None, post: WelfarePost, person: Person, reason: str, situation: str
) -> Recommendation:
    """A social worker recommends a resident for a post, saying why and how the household lives."""
    _outreach(acting_user)
    _resident(acting_user, person)
    require_visible(acting_user, post, "post")
    reason = text(reason, "reason", max_length=1000, required=True, message=_("请填写推荐理由"))
    situation = text(situation, "situation", max_length=1000, required=True, message=_("请填写家庭情况"))
    if post.end_on < today():
        raise ValidationError({"post": _("该岗位已到期")})
    open_ = [RecommendationStatus.RECOMMENDED, RecommendationStatus.APPROVED, RecommendationStatus.PLACED]
    if Recommendation.objects.filter(post=post, person=person, status__in=open_).exists():
        raise ValidationError({"person": _("该居民已被推荐到此岗位")})
    return Recommendation.objects.create(
        post=post,
        person=person,
        household_id=person.household_id,
        region_id=person.region_id,
        reason=reason,
        situation=situation,
        created_by=actor(acting_user),
    )


def _lock(rec: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update(of=("self",)).select_related("post").get(pk=rec.pk)


@transaction.atomic
def recommendation_decide(
    *,
    acting_user: User | None,
    recommendation: Recommendation,
    approve: bool,
    note: str = "",
    decided_on: datetime.date | None = None,
) -> Recommendation:
    """The provider approves or refuses (with a reason); the one who recommended cannot."""
    require_perm(acting_user, MANAGE_LISTS)
    rec = _lock(recommendation)
    require_region_in_scope(acting_user, rec.post.region, field="post")
    if rec.status != RecommendationStatus.RECOMMENDED:
        raise ValidationError({"status": _("该推荐已审批")})
    if acting_user is not None and rec.created_by_id == acting_user.pk:
        raise PermissionDenied(_("推荐人不能审批自己的推荐"))
    note = text(note, "note", max_length=200, required=not approve, message=_("不批准须说明理由"))
    day = decided_on or today()
    not_future(day, "decided_on")
    if approve:
        taken = Recommendation.objects.filter(
            post=rec.post, status__in=[RecommendationStatus.APPROVED, RecommendationStatus.PLACED]
        ).count()
        if taken >= rec.post.places:
            raise ValidationError({"post": _("该岗位已无空缺")})
    rec.status = RecommendationStatus.APPROVED if approve else RecommendationStatus.REJECTED
    rec.decided_by, rec.decided_on, rec.decision_note = actor(acting_user), day, note
    rec.save(update_fields=["status", "decided_by", "decided_on", "decision_note"])
    return rec


@transaction.atomic
def placement_start(
    *, acting_user: User | None, recommendation: Recommendation, placed_on: datetime.date | None = None
) -> Recommendation:
    _outreach(acting_user)
    rec = _lock(recommendation)
    if rec.status != RecommendationStatus.APPROVED:
        raise ValidationError({"status": _("只有已批准的推荐才能上岗")})
    day = placed_on or today()
    not_future(day, "placed_on")
    if rec.decided_on and day < rec.decided_on:
        raise ValidationError({"placed_on": _("上岗日期不能早于审批日期")})
    if not rec.post.start_on <= day <= rec.post.end_on:
        raise ValidationError({"placed_on": _("上岗日期须在岗位期限内")})
    rec.status, rec.placed_on = RecommendationStatus.PLACED, day
    rec.save(update_fields=["status", "placed_on"])
    return rec


@transaction.atomic
def placement_end(
    *,
    acting_user: User | None,
    recommendation: Recommendation,
    reason: str,
    left_on: datetime.date | None = None,
) -> Recommendation:
    _outreach(acting_user)
    rec = _lock(recommendation)
    if rec.status != RecommendationStatus.PLACED or rec.placed_on is None:
        raise ValidationError({"status": _("该人员不在岗")})
    reason = text(reason, "reason", max_length=200, required=True, message=_("请填写离岗原因"))
    day = left_on or today()
    not_future(day, "left_on")
    if day < rec.placed_on:
        raise ValidationError({"left_on": _("离岗日期不能早于上岗日期")})
    rec.status, rec.left_on, rec.leave_reason = RecommendationStatus.LEFT, day, reason
    rec.save(update_fields=["status", "left_on", "leave_reason"])
    return rec


@transaction.atomic
def confirmation_record(
    *,
    acting_user: User | None,
    recommendation: Recommendation,
    month: datetime.date,
    working: bool,
    note: str = "",
) -> PostConfirmation:
    """The monthly confirmation that a placed person is at work (recorded again, it is corrected)."""
    _outreach(acting_user)
    if recommendation.placed_on is None:
        raise ValidationError({"recommendation": _("该人员尚未上岗")})
    first = _month(month)
    if first > _month(today()):
        raise ValidationError({"month": _("月份不能晚于本月")})
    end = recommendation.left_on
    if first < _month(recommendation.placed_on) or (end is not None and first > _month(end)):
        raise ValidationError({"month": _("该月份不在在岗期间内")})
    note = text(note, "note", max_length=200, required=not working, message=_("未在岗须说明情况"))
    row, _created = PostConfirmation.objects.update_or_create(
        recommendation=recommendation,
        month=first,
        defaults={"working": bool(working), "note": note, "created_by": actor(acting_user)},
    )
    return row
