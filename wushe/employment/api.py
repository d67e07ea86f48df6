"""Work and income endpoints: /trainings, /microfactories, /jobfairs, /welfare-posts — lists,
details and the writes of the pages, through the same selectors and services (scoped like the
pages; bad input answers 422 naming the field). Money is an exact decimal string."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import MANAGE_LISTS, READ_REGISTRY
from wushe.core.api import ErrorOut, region_for
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest
from wushe.funds.models import Disbursement
from wushe.partners.models import Organization
from wushe.partners.selectors import usable_organizations
from wushe.projects.models import Project
from wushe.registry.models import Person

from . import selectors, services
from .models import Application, Course, Enrolment, JobFair, MicroFactory, Recommendation, WelfarePost, Worker

router = Router(tags=["employment"])

WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def yuan(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _reader(request: HttpRequest) -> None:
    require_perm(request.user, READ_REGISTRY)


def _pick(model: Any, user: Any, pk: int | None, field: str) -> Any:
    """A record the user may see, by id (``None``: none chosen); otherwise 422 naming ``field``."""
    if pk is None:
        return None
    qs = usable_organizations(user) if model is Organization else model._default_manager.visible_to(user)
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("所选对象不存在或不在您的管辖范围内")})
    return obj


def _region(request: HttpRequest, code: str, field: str = "region") -> Any:
    return region_for(request, code, field)


# ---- training -----------------------------------------------------------------------------------


class CourseOut(Schema):
    id: int
    title: str
    kind: str
    region: str
    region_name: str
    start_on: datetime.date
    end_on: datetime.date
    sessions: int
    trainer: str
    place: str
    target_group: str
    trainees: int


class CourseIn(Schema):
    region: str = Field(..., max_length=20)
    title: str = Field(..., max_length=100)
    kind: str = Field(..., max_length=16)
    start_on: Date
    end_on: Date
    sessions: int = Field(..., ge=1, le=200)
    organizer: int | None = Field(None, ge=1, le=MAX_ID)
    trainer: str = Field("", max_length=60)
    place: str = Field("", max_length=100)
    target_group: str = Field("", max_length=100)
    project: int | None = Field(None, ge=1, le=MAX_ID)


class FollowUpOut(Schema):
    month: int
    followed_on: datetime.date
    outcome: str
    flexible_kind: str
    monthly_income: str | None


class EnrolmentOut(Schema):
    id: int
    person: int
    name: str
    enrolled_on: datetime.date
    completed_on: datetime.date | None
    present_sessions: list[int]
    follow_ups: list[FollowUpOut]


class CourseDetailOut(CourseOut):
    follow_up_months: list[int]
    enrolments: list[EnrolmentOut]


def _course_out(c: Course) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "region": c.region.code,
        "region_name": c.region.name,
        "start_on": c.start_on,
        "end_on": c.end_on,
        "sessions": c.sessions,
        "trainer": c.trainer,
        "place": c.place,
        "target_group": c.target_group,
        "trainees": getattr(c, "trainees", None)
        if getattr(c, "trainees", None) is not None
        else c.enrolments.count(),
    }


def _enrolment_out(e: Enrolment) -> dict[str, Any]:
    return {
        "id": e.pk,
        "person": e.person_id,
        "name": e.person.name,
        "enrolled_on": e.enrolled_on,
        "completed_on": e.completed_on,
        "present_sessions": sorted(a.session for a in e.attendance.all() if a.present),
        "follow_ups": [
            {
                "month": f.month,
                "followed_on": f.followed_on,
                "outcome": f.outcome,
                "flexible_kind": f.flexible_kind,
                "monthly_income": yuan(f.monthly_income),
            }
            for f in sorted(e.follow_ups.all(), key=lambda f: f.month)
        ],
    }


def _course_detail(request: HttpRequest, course: Course) -> dict[str, Any]:
    return {
        **_course_out(course),
        "follow_up_months": list(services.follow_up_months(course.region)),
        "enrolments": [_enrolment_out(e) for e in selectors.enrolments_of(course, request.user)],
    }


@router.get(
    "/trainings",
    response={200: list[CourseOut], 403: ErrorOut, 422: ErrorOut},
    summary="Training courses (技能培训)",
)
@paginate(LimitOffsetPagination)
def trainings(request: HttpRequest, q: str = Query("", max_length=60)) -> Any:
    _reader(request)
    return [_course_out(c) for c in selectors.course_list(user=request.user, q=q)]


@router.post("/trainings", response={201: CourseDetailOut, **WRITE_ERRORS})
def training_create(request: AuthedRequest, payload: CourseIn) -> Any:
    require_perm(request.user, MANAGE_LISTS)  # before the region: who may not create gets 403
    course = services.course_create(
        acting_user=request.user,
        region=_region(request, payload.region),
        title=payload.title,
        kind=payload.kind,
        start_on=payload.start_on,
        end_on=payload.end_on,
        sessions=payload.sessions,
        organizer=_pick(Organization, request.user, payload.organizer, "organizer"),
        trainer=payload.trainer,
        place=payload.place,
        target_group=payload.target_group,
        project=_pick(Project, request.user, payload.project, "project"),
    )
    return Status(201, _course_detail(request, course))


@router.get(
    "/trainings/{course_id}", response={200: CourseDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def training_detail(request: HttpRequest, course_id: int) -> Any:
    _reader(request)
    return _course_detail(request, selectors.get_course_for_user(request.user, course_id))


class EnrolIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    enrolled_on: Date | None = None


@router.post("/trainings/{course_id}/enrolments", response={201: EnrolmentOut, **WRITE_ERRORS})
def training_enrol(request: AuthedRequest, course_id: int, payload: EnrolIn) -> Any:
    course = selectors.get_course_for_user(request.user, course_id)
    e = services.enrolment_create(
        acting_user=request.user,
        course=course,
        person=_pick(Person, request.user, payload.person, "person"),
        enrolled_on=payload.enrolled_on,
    )
    return Status(201, _enrolment_out(selectors.get_enrolment_for_user(request.user, e.pk)))


class AttendanceIn(Schema):
    session: int = Field(..., ge=1, le=200)
    present: list[int] = Field(default_factory=list, max_length=2000)


class AttendanceOut(Schema):
    session: int
    present: int


@router.post("/trainings/{course_id}/attendance", response={200: AttendanceOut, **WRITE_ERRORS})
def training_attendance(request: AuthedRequest, course_id: int, payload: AttendanceIn) -> Any:
    course = selectors.get_course_for_user(request.user, course_id)
    mine = {e.pk: e for e in selectors.enrolments_of(course, request.user)}
    if any(pk not in mine for pk in payload.present):
        raise ValidationError({"present": _("出勤名单中有未报名此课程的人员")})
    n = services.attendance_record(
        acting_user=request.user,
        course=course,
        session=payload.session,
        present=[mine[pk] for pk in payload.present],
    )
    return {"session": payload.session, "present": n}


class FollowUpIn(Schema):
    month: int = Field(..., ge=1, le=36)
    outcome: str = Field(..., max_length=16)
    followed_on: Date | None = None
    flexible_kind: str = Field("", max_length=12)
    monthly_income: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    note: str = Field("", max_length=200)


@router.post("/trainings/enrolments/{enrolment_id}/follow-ups", response={201: EnrolmentOut, **WRITE_ERRORS})
def training_follow_up(request: AuthedRequest, enrolment_id: int, payload: FollowUpIn) -> Any:
    e = selectors.get_enrolment_for_user(request.user, enrolment_id)
    services.follow_up_record(
        acting_user=request.user,
        enrolment=e,
        month=payload.month,
        outcome=payload.outcome,
        followed_on=payload.followed_on,
        flexible_kind=payload.flexible_kind,
        monthly_income=payload.monthly_income,
        note=payload.note,
    )
    return Status(201, _enrolment_out(selectors.get_enrolment_for_user(request.user, e.pk)))


class CompleteIn(Schema):
    completed_on: Date | None = None


@router.post("/trainings/enrolments/{enrolment_id}/complete", response={200: EnrolmentOut, **WRITE_ERRORS})
def training_complete(request: AuthedRequest, enrolment_id: int, payload: CompleteIn) -> Any:
    e = selectors.get_enrolment_for_user(request.user, enrolment_id)
    services.enrolment_complete(acting_user=request.user, enrolment=e, completed_on=payload.completed_on)
    return _enrolment_out(selectors.get_enrolment_for_user(request.user, e.pk))


# ---- micro-factories ----------------------------------------------------------------------------


class FactoryOut(Schema):
    id: int
    name: str
    region: str
    region_name: str
    operator: str
    opened_on: datetime.date
    products: str
    investment: str
    workers: int


class InvestmentOut(Schema):
    id: int
    amount: str
    invested_on: datetime.date
    source: str
    project: int | None
    disbursement: int | None
    department: str


class WorkerOut(Schema):
    id: int
    person: int
    name: str
    household: int | None
    started_on: datetime.date
    ended_on: datetime.date | None
    work: str


class FactoryDetailOut(FactoryOut):
    families: int
    paid: str
    investments: list[InvestmentOut]
    people: list[WorkerOut]


class FactoryIn(Schema):
    region: str = Field(..., max_length=20)
    name: str = Field(..., max_length=100)
    operator: int = Field(..., ge=1, le=MAX_ID)
    opened_on: Date
    products: str = Field(..., max_length=200)


def _worker_out(w: Worker) -> dict[str, Any]:
    return {
        "id": w.pk,
        "person": w.person_id,
        "name": w.person.name,
        "household": w.household_id,
        "started_on": w.started_on,
        "ended_on": w.ended_on,
        "work": w.work,
    }


def _factory_detail(request: HttpRequest, f: MicroFactory) -> dict[str, Any]:
    s = selectors.factory_summary(f, request.user)
    return {
        "id": f.pk,
        "name": f.name,
        "region": f.region.code,
        "region_name": f.region.name,
        "operator": f.operator.name,
        "opened_on": f.opened_on,
        "products": f.products,
        "investment": yuan(s.invested),
        "workers": sum(1 for w in s.workers if w.ended_on is None),
        "families": s.families,
        "paid": yuan(s.paid),
        "investments": [
            {
                "id": i.pk,
                "amount": yuan(i.amount),
                "invested_on": i.invested_on,
                "source": i.source,
                "project": i.project_id,
                "disbursement": i.disbursement_id,
                "department": i.department,
            }
            for i in f.investments.order_by("invested_on", "id")
        ],
        "people": [_worker_out(w) for w in s.workers],
    }


@router.get(
    "/microfactories",
    response={200: list[FactoryOut], 403: ErrorOut, 422: ErrorOut},
    summary="Micro-factories (微工厂)",
)
@paginate(LimitOffsetPagination)
def microfactories(request: HttpRequest, q: str = Query("", max_length=60)) -> Any:
    _reader(request)
    return [
        {
            "id": f.pk,
            "name": f.name,
            "region": f.region.code,
            "region_name": f.region.name,
            "operator": f.operator.name,
            "opened_on": f.opened_on,
            "products": f.products,
            "investment": yuan(getattr(f, "invested", None)),  # annotated by the selector
            "workers": getattr(f, "working", 0),
        }
        for f in selectors.factory_list(user=request.user, q=q)
    ]


@router.post("/microfactories", response={201: FactoryDetailOut, **WRITE_ERRORS})
def microfactory_create(request: AuthedRequest, payload: FactoryIn) -> Any:
    require_perm(request.user, MANAGE_LISTS)  # before the region: who may not create gets 403
    f = services.factory_create(
        acting_user=request.user,
        region=_region(request, payload.region),
        name=payload.name,
        operator=_pick(Organization, request.user, payload.operator, "operator"),
        opened_on=payload.opened_on,
        products=payload.products,
    )
    return Status(201, _factory_detail(request, selectors.get_factory_for_user(request.user, f.pk)))


@router.get(
    "/microfactories/{factory_id}",
    response={200: FactoryDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def microfactory_detail(request: HttpRequest, factory_id: int) -> Any:
    _reader(request)
    return _factory_detail(request, selectors.get_factory_for_user(request.user, factory_id))


class InvestmentIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    source: str = Field(..., max_length=20)
    invested_on: Date | None = None
    project: int | None = Field(None, ge=1, le=MAX_ID)
    disbursement: int | None = Field(None, ge=1, le=MAX_ID)
    department: str = Field("", max_length=100)


@router.post("/microfactories/{factory_id}/investments", response={201: FactoryDetailOut, **WRITE_ERRORS})
def microfactory_invest(request: AuthedRequest, factory_id: int, payload: InvestmentIn) -> Any:
    f = selectors.get_factory_for_user(request.user, factory_id)
    disbursement = None
    if payload.disbursement is not None:
        from wushe.funds.models import Fund

        disbursement = Disbursement.objects.filter(
            pk=payload.disbursement, fund__in=Fund.objects.visible_to(request.user).values("id")
        ).first()
        if disbursement is None:
            raise ValidationError({"disbursement": _("所选对象不存在或不在您的管辖范围内")})
    services.investment_record(
        acting_user=request.user,
        factory=f,
        amount=payload.amount,
        source=payload.source,
        invested_on=payload.invested_on,
        project=_pick(Project, request.user, payload.project, "project"),
        disbursement=disbursement,
        department=payload.department,
    )
    return Status(201, _factory_detail(request, f))


class WorkerIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    started_on: Date | None = None
    work: str = Field("", max_length=60)


@router.post("/microfactories/{factory_id}/workers", response={201: WorkerOut, **WRITE_ERRORS})
def microfactory_worker(request: AuthedRequest, factory_id: int, payload: WorkerIn) -> Any:
    f = selectors.get_factory_for_user(request.user, factory_id)
    w = services.worker_add(
        acting_user=request.user,
        factory=f,
        person=_pick(Person, request.user, payload.person, "person"),
        started_on=payload.started_on,
        work=payload.work,
    )
    return Status(201, _worker_out(w))


class WorkerMonthIn(Schema):
    month: Date
    pay: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)
    hours: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=1)
    pieces: int | None = Field(None, ge=0, le=10_000_000)


class WorkerMonthOut(Schema):
    worker: int
    month: datetime.date
    pay: str


@router.post("/microfactories/workers/{worker_id}/months", response={201: WorkerMonthOut, **WRITE_ERRORS})
def microfactory_pay(request: AuthedRequest, worker_id: int, payload: WorkerMonthIn) -> Any:
    w = selectors.get_worker_for_user(request.user, worker_id)
    row = services.worker_month_record(
        acting_user=request.user,
        worker=w,
        month=payload.month,
        pay=payload.pay,
        hours=payload.hours,
        pieces=payload.pieces,
    )
    return Status(201, {"worker": w.pk, "month": row.month, "pay": yuan(row.pay)})


# ---- job fairs ----------------------------------------------------------------------------------


class FairOut(Schema):
    id: int
    title: str
    region: str
    region_name: str
    held_on: datetime.date
    place: str
    organizer: str
    visitors: int
    enterprises: int
    positions: int


class PositionOut(Schema):
    id: int
    title: str
    openings: int
    pay_min: str | None
    pay_max: str | None
    suits_disabled: bool
    hires: int


class EnterpriseOut(Schema):
    id: int
    organization: int
    name: str
    credit_code: str
    credit_code_warning: str
    positions: list[PositionOut]


class ApplicationOut(Schema):
    id: int
    position: int
    person: int
    name: str
    applied_on: datetime.date
    status: str
    hired_on: datetime.date | None


class FairDetailOut(FairOut):
    hires: int
    enterprise_list: list[EnterpriseOut]
    applications: list[ApplicationOut]


class FairIn(Schema):
    region: str = Field(..., max_length=20)
    title: str = Field(..., max_length=100)
    held_on: Date
    place: str = Field(..., max_length=100)
    organizer: str = Field(..., max_length=100)
    visitors: int = Field(0, ge=0, le=1_000_000)


def _application_out(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "position": a.position_id,
        "person": a.person_id,
        "name": a.person.name,
        "applied_on": a.applied_on,
        "status": a.status,
        "hired_on": a.hired_on,
    }


def _fair_detail(request: HttpRequest, fair: JobFair) -> dict[str, Any]:
    enterprises = selectors.fair_enterprises(fair)
    applications = list(selectors.fair_applications(fair, request.user))
    positions = [p for e in enterprises for p in e.positions.all()]
    return {
        "id": fair.pk,
        "title": fair.title,
        "region": fair.region.code,
        "region_name": fair.region.name,
        "held_on": fair.held_on,
        "place": fair.place,
        "organizer": fair.organizer,
        "visitors": fair.visitors,
        "enterprises": len(enterprises),
        "positions": sum(p.openings for p in positions),
        "hires": sum(1 for a in applications if a.status == "hired"),
        "enterprise_list": [
            {
                "id": e.pk,
                "organization": e.organization_id,
                "name": e.organization.name,
                "credit_code": e.organization.credit_code,
                "credit_code_warning": e.credit_code_warning,
                "positions": [
                    {
                        "id": p.pk,
                        "title": p.title,
                        "openings": p.openings,
                        "pay_min": yuan(p.pay_min),
                        "pay_max": yuan(p.pay_max),
                        "suits_disabled": p.suits_disabled,
                        "hires": getattr(p, "hires", 0),  # annotated by the selector
                    }
                    for p in e.positions.all()
                ],
            }
            for e in enterprises
        ],
        "applications": [_application_out(a) for a in applications],
    }


@router.get(
    "/jobfairs", response={200: list[FairOut], 403: ErrorOut, 422: ErrorOut}, summary="Job fairs (招聘会)"
)
@paginate(LimitOffsetPagination)
def jobfairs(request: HttpRequest, q: str = Query("", max_length=60)) -> Any:
    _reader(request)
    return [
        {
            "id": f.pk,
            "title": f.title,
            "region": f.region.code,
            "region_name": f.region.name,
            "held_on": f.held_on,
            "place": f.place,
            "organizer": f.organizer,
            "visitors": f.visitors,
            "enterprises": getattr(f, "n_enterprises", 0),  # annotated by the selector
            "positions": getattr(f, "n_positions", 0),
        }
        for f in selectors.fair_list(user=request.user, q=q)
    ]


@router.post("/jobfairs", response={201: FairDetailOut, **WRITE_ERRORS})
def jobfair_create(request: AuthedRequest, payload: FairIn) -> Any:
    require_perm(request.user, MANAGE_LISTS)  # before the region: who may not create gets 403
    fair = services.job_fair_create(
        acting_user=request.user,
        region=_region(request, payload.region),
        title=payload.title,
        held_on=payload.held_on,
        place=payload.place,
        organizer=payload.organizer,
        visitors=payload.visitors,
    )
    return Status(201, _fair_detail(request, fair))


@router.get("/jobfairs/{fair_id}", response={200: FairDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def jobfair_detail(request: HttpRequest, fair_id: int) -> Any:
    _reader(request)
    return _fair_detail(request, selectors.get_fair_for_user(request.user, fair_id))


class EnterpriseIn(Schema):
    organization: int | None = Field(None, ge=1, le=MAX_ID)
    name: str = Field("", max_length=100)
    credit_code: str = Field("", max_length=30)


@router.post("/jobfairs/{fair_id}/enterprises", response={201: FairDetailOut, **WRITE_ERRORS})
def jobfair_enterprise(request: AuthedRequest, fair_id: int, payload: EnterpriseIn) -> Any:
    fair = selectors.get_fair_for_user(request.user, fair_id)
    services.fair_enterprise_add(
        acting_user=request.user,
        fair=fair,
        organization=_pick(Organization, request.user, payload.organization, "organization"),
        name=payload.name,
        credit_code=payload.credit_code,
    )
    return Status(201, _fair_detail(request, fair))


class PositionIn(Schema):
    enterprise: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., max_length=60)
    openings: int = Field(..., ge=1, le=100_000)
    pay_min: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    pay_max: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    suits_disabled: bool = False


@router.post("/jobfairs/{fair_id}/positions", response={201: FairDetailOut, **WRITE_ERRORS})
def jobfair_position(request: AuthedRequest, fair_id: int, payload: PositionIn) -> Any:
    fair = selectors.get_fair_for_user(request.user, fair_id)
    enterprise = fair.enterprises.filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise ValidationError({"enterprise": _("该企业未登记参加本次招聘会")})
    services.position_add(
        acting_user=request.user,
        enterprise=enterprise,
        title=payload.title,
        openings=payload.openings,
        pay_min=payload.pay_min,
        pay_max=payload.pay_max,
        suits_disabled=payload.suits_disabled,
    )
    return Status(201, _fair_detail(request, fair))


class ApplyIn(Schema):
    position: int = Field(..., ge=1, le=MAX_ID)
    person: int = Field(..., ge=1, le=MAX_ID)
    applied_on: Date | None = None


@router.post("/jobfairs/{fair_id}/applications", response={201: ApplicationOut, **WRITE_ERRORS})
def jobfair_apply(request: AuthedRequest, fair_id: int, payload: ApplyIn) -> Any:
    fair = selectors.get_fair_for_user(request.user, fair_id)
    position = next(
        (p for e in selectors.fair_enterprises(fair) for p in e.positions.all() if p.pk == payload.position),
        None,
    )
    if position is None:
        raise ValidationError({"position": _("该岗位不属于本次招聘会")})
    a = services.application_create(
        acting_user=request.user,
        position=position,
        person=_pick(Person, request.user, payload.person, "person"),
        applied_on=payload.applied_on,
    )
    return Status(201, _application_out(a))


class DecideIn(Schema):
    hired: bool
    hired_on: Date | None = None


@router.post("/jobfairs/applications/{application_id}/decide", response={200: ApplicationOut, **WRITE_ERRORS})
def jobfair_decide(request: AuthedRequest, application_id: int, payload: DecideIn) -> Any:
    a = selectors.get_application_for_user(request.user, application_id)
    a = services.application_decide(
        acting_user=request.user, application=a, hired=payload.hired, hired_on=payload.hired_on
    )
    return _application_out(selectors.get_application_for_user(request.user, a.pk))


class HireFollowUpIn(Schema):
    still_working: bool
    followed_on: Date | None = None
    monthly_income: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    note: str = Field("", max_length=200)


class HireFollowUpOut(Schema):
    application: int
    followed_on: datetime.date
    still_working: bool
    monthly_income: str | None


@router.post(
    "/jobfairs/applications/{application_id}/follow-ups", response={201: HireFollowUpOut, **WRITE_ERRORS}
)
def jobfair_hire_follow_up(request: AuthedRequest, application_id: int, payload: HireFollowUpIn) -> Any:
    a = selectors.get_application_for_user(request.user, application_id)
    f = services.hire_follow_up_record(
        acting_user=request.user,
        application=a,
        still_working=payload.still_working,
        followed_on=payload.followed_on,
        monthly_income=payload.monthly_income,
        note=payload.note,
    )
    return Status(
        201,
        {
            "application": a.pk,
            "followed_on": f.followed_on,
            "still_working": f.still_working,
            "monthly_income": yuan(f.monthly_income),
        },
    )


# ---- public-welfare posts -----------------------------------------------------------------------


class PostOut(Schema):
    id: int
    title: str
    provider: str
    region: str
    region_name: str
    places: int
    monthly_pay: str
    start_on: datetime.date
    end_on: datetime.date
    placed: int
    waiting: int


class RecommendationOut(Schema):
    id: int
    post: int
    person: int
    name: str
    household: int | None
    reason: str
    situation: str
    status: str
    decided_on: datetime.date | None
    decision_note: str
    placed_on: datetime.date | None
    left_on: datetime.date | None
    leave_reason: str
    confirmed_months: list[str]


class PostDetailOut(PostOut):
    recommendations: list[RecommendationOut]


class PostIn(Schema):
    region: str = Field(..., max_length=20)
    provider: str = Field(..., max_length=10)
    title: str = Field(..., max_length=100)
    places: int = Field(..., ge=1, le=100_000)
    monthly_pay: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)
    start_on: Date
    end_on: Date


def _recommendation_out(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "post": r.post_id,
        "person": r.person_id,
        "name": r.person.name,
        "household": r.household_id,
        "reason": r.reason,
        "situation": r.situation,
        "status": r.status,
        "decided_on": r.decided_on,
        "decision_note": r.decision_note,
        "placed_on": r.placed_on,
        "left_on": r.left_on,
        "leave_reason": r.leave_reason,
        "confirmed_months": [f"{c.month:%Y-%m}" for c in r.confirmations.all() if c.working],
    }


def _post_out(p: WelfarePost, request: HttpRequest, detail: bool = False) -> dict[str, Any]:
    recs = list(selectors.post_recommendations(p, request.user)) if detail else []
    out = {
        "id": p.pk,
        "title": p.title,
        "provider": p.provider,
        "region": p.region.code,
        "region_name": p.region.name,
        "places": p.places,
        "monthly_pay": yuan(p.monthly_pay),
        "start_on": p.start_on,
        "end_on": p.end_on,
        "placed": getattr(p, "placed", None) if not detail else sum(1 for r in recs if r.status == "placed"),
        "waiting": getattr(p, "waiting", None)
        if not detail
        else sum(1 for r in recs if r.status == "recommended"),
    }
    if detail:
        out["recommendations"] = [_recommendation_out(r) for r in recs]
    return out


@router.get(
    "/welfare-posts",
    response={200: list[PostOut], 403: ErrorOut, 422: ErrorOut},
    summary="Public-welfare posts (公益岗位)",
)
@paginate(LimitOffsetPagination)
def welfare_posts(request: HttpRequest, q: str = Query("", max_length=60)) -> Any:
    _reader(request)
    return [_post_out(p, request) for p in selectors.post_list(user=request.user, q=q)]


@router.post("/welfare-posts", response={201: PostDetailOut, **WRITE_ERRORS})
def welfare_post_create(request: AuthedRequest, payload: PostIn) -> Any:
    require_perm(request.user, MANAGE_LISTS)  # before the region: who may not create gets 403
    p = services.welfare_post_create(
        acting_user=request.user,
        region=_region(request, payload.region),
        provider=payload.provider,
        title=payload.title,
        places=payload.places,
        monthly_pay=payload.monthly_pay,
        start_on=payload.start_on,
        end_on=payload.end_on,
    )
    return Status(201, _post_out(selectors.get_post_for_user(request.user, p.pk), request, detail=True))


@router.get(
    "/welfare-posts/{post_id}", response={200: PostDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def welfare_post_detail(request: HttpRequest, post_id: int) -> Any:
    _reader(request)
    return _post_out(selectors.get_post_for_user(request.user, post_id), request, detail=True)


class RecommendIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field(..., max_length=1000)
    situation: str = Field(..., max_length=1000)


@router.post("/welfare-posts/{post_id}/recommendations", response={201: RecommendationOut, **WRITE_ERRORS})
def welfare_post_recommend(request: AuthedRequest, post_id: int, payload: RecommendIn) -> Any:
    post = selectors.get_post_for_user(request.user, post_id)
    r = services.recommendation_create(
        acting_user=request.user,
        post=post,
        person=_pick(Person, request.user, payload.person, "person"),
        reason=payload.reason,
        situation=payload.situation,
    )
    return Status(201, _recommendation_out(r))


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=200)
    decided_on: Date | None = None


def _rec(request: HttpRequest, pk: int) -> Recommendation:
    return selectors.get_recommendation_for_user(request.user, pk)


def _rec_out(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _recommendation_out(_rec(request, pk))


@router.post(
    "/welfare-posts/recommendations/{rec_id}/decide", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_decide(request: AuthedRequest, rec_id: int, payload: DecisionIn) -> Any:
    services.recommendation_decide(
        acting_user=request.user,
        recommendation=_rec(request, rec_id),
        approve=payload.approve,
        note=payload.note,
        decided_on=payload.decided_on,
    )
    return _rec_out(request, rec_id)


class PlaceIn(Schema):
    placed_on: Date | None = None


@router.post(
    "/welfare-posts/recommendations/{rec_id}/place", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_place(request: AuthedRequest, rec_id: int, payload: PlaceIn) -> Any:
    services.placement_start(
        acting_user=request.user, recommendation=_rec(request, rec_id), placed_on=payload.placed_on
    )
    return _rec_out(request, rec_id)


class LeaveIn(Schema):
    reason: str = Field(..., max_length=200)
    left_on: Date | None = None


@router.post(
    "/welfare-posts/recommendations/{rec_id}/leave", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_leave(request: AuthedRequest, rec_id: int, payload: LeaveIn) -> Any:
    services.placement_end(
        acting_user=request.user,
        recommendation=_rec(request, rec_id),
        reason=payload.reason,
        left_on=payload.left_on,
    )
    return _rec_out(request, rec_id)


class ConfirmIn(Schema):
    month: Date
    working: bool
    note: str = Field("", max_length=200)


@router.post(
    "/welfare-posts/recommendations/{rec_id}/confirmations", response={200: RecommendationOut, **WRITE_ERRORS}
)
def welfare_post_confirm(request: AuthedRequest, rec_id: int, payload: ConfirmIn) -> Any:
    services.confirmation_record(
        acting_user=request.user,
        recommendation=_rec(request, rec_id),
        month=payload.month,
        working=payload.working,
        note=payload.note,
    )
    return _rec_out(request, rec_id)
