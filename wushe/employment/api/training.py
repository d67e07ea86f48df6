"""Work and income API — training courses: enrolment, attendance, completion and follow-ups."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.api import ErrorOut
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest
from wushe.partners.models import Organization
from wushe.projects.models import Project
from wushe.registry.models import Person

from .. import selectors, services
from ..models import (
    Course,
    Enrolment,
)
from .common import WRITE_ERRORS, _pick, _reader, _region, router, yuan


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
