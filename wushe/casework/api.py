"""Endpoints of cases, groups and activities: the same selectors (scope) and services (rules)
as the pages. No ``from __future__ import annotations`` (see registry/api.py)."""

import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import RECORD_SERVICES
from wushe.core.api import Count, Date, ErrorOut, EventDate, Id, region_for, require
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.partners.selectors import usable_organizations
from wushe.registry.api import person_for

from . import selectors, services
from .models import Activity, Case, Group

router = Router(tags=["casework"])


def organization_for(request: HttpRequest, pk: int | None, field: str = "organization") -> Any:
    if pk is None:
        return None
    org = usable_organizations(request.user).filter(pk=pk).first()
    if org is None:
        raise ValidationError({field: _("所选组织不存在或不在您的管辖范围内")})
    return org


# ---- cases ----------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str
    person: int = Field(alias="person_id")
    person_name: str
    region: str
    stage: str
    organization: int | None = Field(alias="organization_id")
    worker: str | None
    project: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    next_due: datetime.date | None

    @staticmethod
    def resolve_person_name(obj: Case) -> str:
        return obj.person.name

    @staticmethod
    def resolve_region(obj: Case) -> str:
        return obj.region.code

    @staticmethod
    def resolve_worker(obj: Case) -> str | None:
        return str(obj.worker) if obj.worker_id else None


class CaseStepOut(Schema):
    kind: str
    on: datetime.date
    by: str | None
    note: str

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return str(obj.by) if obj.by_id else None


class CaseServiceOut(Schema):
    id: int
    on: datetime.date
    minutes: int
    content: str


class CaseDetailOut(CaseOut):
    reason: str
    assessment: str
    goals: str
    plan: str
    closing_summary: str
    follow_up_on: datetime.date | None
    steps: list[CaseStepOut]
    services: list[CaseServiceOut]

    @staticmethod
    def resolve_steps(obj: Case) -> list[Any]:
        return list(obj.steps.select_related("by").order_by("on", "id"))

    @staticmethod
    def resolve_services(obj: Case) -> list[Any]:
        return list(obj.services.order_by("-on", "-id"))


class CaseIn(Schema):
    person: Id
    reason: str = Field(max_length=2000)
    opened_on: EventDate
    organization: Id | None = None
    project: str = Field("", max_length=100)
    next_due: Date | None = None


class CaseStepIn(Schema):
    stage: str = Field(max_length=15, description="assessment, plan, intervention, closed or reopen")
    on: EventDate
    note: str = Field("", max_length=4000)
    goals: str = Field("", max_length=2000)
    next_due: Date | None = None
    follow_up_on: Date | None = None


class CaseServiceIn(Schema):
    on: EventDate
    minutes: Annotated[int, Field(strict=True, ge=1, le=1440)]
    content: str = Field(max_length=4000)
    need_refs: str = Field("", max_length=200)


class CaseFilterIn(Schema):
    q: str = Field("", max_length=60)
    stage: str = Field("", max_length=15)
    mine: bool = False
    due: bool = False


@router.get("/cases", response={200: list[CaseOut], 422: ErrorOut}, summary="Cases in the caller's scope")
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilterIn]) -> Any:
    from django.utils import timezone

    return selectors.case_list(
        user=request.user,
        filters=selectors.CaseFilters(
            q=filters.q,
            stage=filters.stage,
            mine=filters.mine,
            due_by=timezone.localdate() if filters.due else None,
            open_only=filters.due,
        ),
    )


@router.post(
    "/cases",
    response={400: ErrorOut, 201: CaseDetailOut, 403: ErrorOut, 422: ErrorOut},
    summary="Open a case (接案)",
)
def create_case(request: AuthedRequest, payload: CaseIn) -> Any:
    require(request, RECORD_SERVICES)
    case = services.case_open(
        acting_user=request.user,
        person=person_for(request, payload.person),
        reason=payload.reason,
        opened_on=payload.opened_on,
        organization=organization_for(request, payload.organization),
        project=payload.project,
        next_due=payload.next_due,
    )
    return Status(201, selectors.get_case_for_user(user=request.user, pk=case.pk))


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One case with its steps",
)
def get_case(request: HttpRequest, case_id: int) -> Any:
    return selectors.get_case_for_user(user=request.user, pk=case_id)


@router.post(
    "/cases/{case_id}/steps",
    response={400: ErrorOut, 200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Move a case to its next stage, or reopen it",
)
def case_step(request: AuthedRequest, case_id: int, payload: CaseStepIn) -> Any:
    case = selectors.get_case_for_user(user=request.user, pk=case_id)
    require(request, RECORD_SERVICES)
    if payload.stage == "reopen":
        services.case_reopen(acting_user=request.user, case=case, on=payload.on, note=payload.note)
    else:
        services.case_advance(
            acting_user=request.user,
            case=case,
            stage=payload.stage,
            on=payload.on,
            note=payload.note,
            goals=payload.goals,
            next_due=payload.next_due,
            follow_up_on=payload.follow_up_on,
        )
    return selectors.get_case_for_user(user=request.user, pk=case_id)


@router.post(
    "/cases/{case_id}/services",
    response={400: ErrorOut, 201: CaseServiceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a service of a case",
)
def case_service(request: AuthedRequest, case_id: int, payload: CaseServiceIn) -> Any:
    case = selectors.get_case_for_user(user=request.user, pk=case_id)
    require(request, RECORD_SERVICES)
    record = services.case_service_record(
        acting_user=request.user,
        case=case,
        on=payload.on,
        minutes=payload.minutes,
        content=payload.content,
        need_refs=payload.need_refs,
    )
    return Status(201, record)


# ---- groups ---------------------------------------------------------------------------------


class GroupOut(Schema):
    id: int
    name: str
    goal: str
    region: str
    organization: int | None = Field(alias="organization_id")
    starts_on: datetime.date
    ends_on: datetime.date | None

    @staticmethod
    def resolve_region(obj: Group) -> str:
        return obj.region.code


class SessionOut(Schema):
    id: int
    number: int
    on: datetime.date
    topic: str
    attendees: list[int]

    @staticmethod
    def resolve_attendees(obj: Any) -> list[int]:
        return [p.pk for p in obj.attendees.all()]


class GroupDetailOut(GroupOut):
    members: list[int]
    sessions: list[SessionOut]

    @staticmethod
    def resolve_members(obj: Group) -> list[int]:
        return list(obj.members.values_list("id", flat=True))

    @staticmethod
    def resolve_sessions(obj: Group) -> list[Any]:
        return list(obj.sessions.prefetch_related("attendees").order_by("number"))


class GroupIn(Schema):
    name: str = Field(max_length=100)
    goal: str = Field(max_length=2000)
    region: str = Field(max_length=15)
    starts_on: EventDate
    ends_on: Date | None = None
    organization: Id | None = None
    members: list[Id] = Field(default_factory=list, max_length=200)


class SessionIn(Schema):
    on: EventDate
    topic: str = Field(max_length=200)
    content: str = Field("", max_length=4000)
    attendees: list[Id] = Field(default_factory=list, max_length=200)


@router.get("/groups", response={200: list[GroupOut], 422: ErrorOut}, summary="Groups in the caller's scope")
@paginate(LimitOffsetPagination)
def list_groups(request: HttpRequest, q: str = Query("", max_length=60)) -> Any:
    return selectors.group_list(user=request.user, q=q)


@router.post(
    "/groups",
    response={400: ErrorOut, 201: GroupDetailOut, 403: ErrorOut, 422: ErrorOut},
    summary="Start a group (小组)",
)
def create_group(request: AuthedRequest, payload: GroupIn) -> Any:
    require(request, RECORD_SERVICES)
    group = services.group_create(
        acting_user=request.user,
        region=region_for(request, payload.region),
        name=payload.name,
        goal=payload.goal,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        organization=organization_for(request, payload.organization),
        members=[person_for(request, pk, "members") for pk in payload.members],
    )
    return Status(201, group)


@router.get(
    "/groups/{group_id}", response={200: GroupDetailOut, 404: ErrorOut, 422: ErrorOut}, summary="One group"
)
def get_group(request: HttpRequest, group_id: int) -> Any:
    return selectors.get_group_for_user(user=request.user, pk=group_id)


@router.post(
    "/groups/{group_id}/sessions",
    response={400: ErrorOut, 201: SessionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a session with its attendance",
)
def group_session(request: AuthedRequest, group_id: int, payload: SessionIn) -> Any:
    group = selectors.get_group_for_user(user=request.user, pk=group_id)
    require(request, RECORD_SERVICES)
    members = {m.pk: m for m in selectors.group_members(group)}
    unknown = [pk for pk in payload.attendees if pk not in members]
    if unknown:
        raise ValidationError({"attendees": _("出席者须是本小组组员")})
    session = services.group_session_record(
        acting_user=request.user,
        group=group,
        on=payload.on,
        topic=payload.topic,
        content=payload.content,
        attendees=[members[pk] for pk in payload.attendees],
    )
    return Status(201, session)


# ---- activities -----------------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    on: datetime.date
    place: str
    region: str
    organizer_kind: str
    organizer: int | None = Field(alias="organizer_id")
    participants: int
    disabled_participants: int
    volunteers: int
    leaflets: int
    questions_answered: int
    photos: int

    @staticmethod
    def resolve_region(obj: Activity) -> str:
        return obj.region.code

    @staticmethod
    def resolve_photos(obj: Activity) -> int:
        return getattr(obj, "photo_count", None) or 0


class ActivityIn(Schema):
    kind: str = Field(max_length=12)
    title: str = Field(max_length=200)
    on: EventDate
    place: str = Field(max_length=200)
    region: str = Field(max_length=15)
    organizer_kind: str = Field("community", max_length=15)
    organizer: Id | None = None
    participants: Count = 0
    disabled_participants: Count = 0
    volunteers: Count = 0
    leaflets: Count = 0
    questions_answered: Count = 0
    summary: str = Field("", max_length=4000)


class ActivityFilterIn(Schema):
    q: str = Field("", max_length=60)
    kind: str = Field("", max_length=12)
    start: Date | None = None
    end: Date | None = None


@router.get(
    "/activities",
    response={200: list[ActivityOut], 422: ErrorOut},
    summary="Activities in the caller's scope",
)
@paginate(LimitOffsetPagination)
def list_activities(request: HttpRequest, filters: Query[ActivityFilterIn]) -> Any:
    return selectors.activity_list(
        user=request.user,
        filters=selectors.ActivityFilters(
            q=filters.q, kind=filters.kind, start=filters.start, end=filters.end
        ),
    )


@router.post(
    "/activities",
    response={400: ErrorOut, 201: ActivityOut, 403: ErrorOut, 422: ErrorOut},
    summary="Record an activity",
)
def create_activity(request: AuthedRequest, payload: ActivityIn) -> Any:
    require(request, RECORD_SERVICES)
    data = payload.dict()
    activity = services.activity_create(
        acting_user=request.user,
        **{
            **data,
            "region": region_for(request, payload.region),
            "organizer": organization_for(request, payload.organizer, "organizer"),
        },
    )
    return Status(201, activity)


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut, 404: ErrorOut, 422: ErrorOut},
    summary="One activity",
)
def get_activity(request: HttpRequest, activity_id: int) -> Any:
    activity = selectors.get_activity_for_user(user=request.user, pk=activity_id)
    activity.photo_count = activity.photos.count()
    return activity
