"""Endpoints of the residents' requests: list, detail, register, step transitions."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import HANDLE_APPEALS, SUPERVISE_APPEALS
from wushe.core.api import ErrorOut, Flag, Id, region_for, require
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.registry.api import person_for

from . import editing, selectors, services
from .models import Appeal, ReturnOutcome, Step, Studio

router = Router(tags=["appeals"])


class AppealOut(Schema):
    id: int
    number: str
    studio: int | None = Field(alias="studio_id")
    region: str
    channel: str
    team: str
    category: str
    requester_name: str
    requester_phone: str = Field(alias="requester_phone_masked", description="masked")
    step: str
    due_on: datetime.date | None
    overdue: bool
    referred_to: int | None = Field(alias="referred_to_id")
    registered_at: datetime.datetime
    archived_at: datetime.datetime | None

    @staticmethod
    def resolve_region(obj: Appeal) -> str:
        return obj.region.code

    @staticmethod
    def resolve_overdue(obj: Appeal) -> bool:
        return obj.due_on is not None and obj.due_on < timezone.localdate()


class TimelineOut(Schema):
    step: str
    label: str
    due_on: datetime.date | None
    done_at: datetime.datetime | None
    actor: str
    note: str
    state: str


class SupervisionOut(Schema):
    """督办: who pressed the request, when, at which step and its deadline then."""

    id: int
    at: datetime.datetime
    actor: str = Field(alias="actor_name")
    step: str
    due_on: datetime.date
    note: str


class ReturnCallOut(Schema):
    """回访: one call back to the requester after archiving, and its outcome."""

    id: int
    at: datetime.datetime
    actor: str = Field(alias="actor_name")
    outcome: str
    satisfaction: str
    note: str


class AppealDetailOut(AppealOut):
    content: str
    resolution: str
    resolved: bool
    feedback: str
    satisfaction: str
    timeline: list[TimelineOut]
    supervisions: list[SupervisionOut]
    return_call_due_on: datetime.date | None
    return_call_done_at: datetime.datetime | None
    return_calls: list[ReturnCallOut]

    @staticmethod
    def resolve_timeline(obj: Appeal) -> list[Any]:
        return selectors.appeal_timeline(obj)

    @staticmethod
    def resolve_supervisions(obj: Appeal) -> list[Any]:
        return selectors.appeal_supervisions(obj)

    @staticmethod
    def resolve_return_calls(obj: Appeal) -> list[Any]:
        return selectors.appeal_return_calls(obj)


class AppealIn(Schema):
    channel: str = Field(max_length=10, description="walk_in 驻室听需求 or visit 入户摸需求")
    category: str = Field(max_length=12)
    content: str = Field(max_length=4000)
    studio: Id | None = None
    region: str | None = Field(None, max_length=15)
    team: str = Field("", max_length=10)
    person: Id | None = None
    requester_name: str = Field("", max_length=50)
    requester_phone: str = Field("", max_length=30)


class StepIn(Schema):
    step: str = Field(max_length=12, description="receive, refer, handle, feedback, archive or satisfaction")
    note: str = Field("", max_length=4000)
    unit: Id | None = Field(None, description="转办: the responsibility unit")
    resolution: str = Field("", max_length=4000)
    resolved: Flag = False
    feedback: str = Field("", max_length=4000)
    satisfaction: str = Field("", max_length=12)


class AppealFilterIn(Schema):
    q: str = Field("", max_length=60)
    step: str = Field("", max_length=10)
    category: str = Field("", max_length=12)
    overdue: bool = False
    studio: int | None = Field(None, ge=1, le=2**31 - 1)


@router.get(
    "/appeals", response={200: list[AppealOut], 422: ErrorOut}, summary="Requests in the caller's scope"
)
@paginate(LimitOffsetPagination)
def list_appeals(request: HttpRequest, filters: Query[AppealFilterIn]) -> Any:
    return selectors.appeal_list(
        user=request.user,
        filters=selectors.AppealFilters(
            q=filters.q,
            step=filters.step,
            category=filters.category,
            overdue=filters.overdue,
            studio=filters.studio,
        ),
    )


@router.post(
    "/appeals",
    response={400: ErrorOut, 201: AppealDetailOut, 403: ErrorOut, 422: ErrorOut},
    summary="Register a request (登记)",
)
def create_appeal(request: AuthedRequest, payload: AppealIn) -> Any:
    require(request, HANDLE_APPEALS)
    studio = None
    if payload.studio is not None:
        studio = Studio.objects.visible_to(request.user).filter(pk=payload.studio).first()
        if studio is None:
            raise ValidationError({"studio": _("所选工作室不存在或不在您的管辖范围内")})
    appeal = services.appeal_register(
        acting_user=request.user,
        studio=studio,
        region=region_for(request, payload.region) if payload.region else None,
        channel=payload.channel,
        category=payload.category,
        content=payload.content,
        team=payload.team,
        person=person_for(request, payload.person),
        requester_name=payload.requester_name,
        requester_phone=payload.requester_phone,
    )
    return Status(201, selectors.get_appeal_for_user(user=request.user, pk=appeal.pk))


@router.get(
    "/appeals/{appeal_id}",
    response={200: AppealDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One request with its timeline",
)
def get_appeal(request: HttpRequest, appeal_id: int) -> Any:
    return selectors.get_appeal_for_user(user=request.user, pk=appeal_id)


@router.post(
    "/appeals/{appeal_id}/steps",
    response={400: ErrorOut, 200: AppealDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Do the request's next step (接待, 转办, 处理, 反馈, 归档) or record satisfaction",
)
def appeal_step(request: AuthedRequest, appeal_id: int, payload: StepIn) -> Any:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=appeal_id)
    require(request, HANDLE_APPEALS)
    if payload.step == "satisfaction":
        services.appeal_satisfaction_record(
            acting_user=request.user, appeal=appeal, satisfaction=payload.satisfaction
        )
    elif payload.step == Step.RECEIVE or payload.step == Step.ARCHIVE:
        services.appeal_step(acting_user=request.user, appeal=appeal, step=payload.step, note=payload.note)
    elif payload.step == Step.REFER:
        unit = services.units_for(appeal).filter(pk=payload.unit).first() if payload.unit else None
        if payload.unit and unit is None:
            raise ValidationError({"unit": _("该责任单位不负责本诉求所在区域")})
        services.appeal_refer(acting_user=request.user, appeal=appeal, unit=unit, note=payload.note)
    elif payload.step == Step.HANDLE:
        services.appeal_handle(
            acting_user=request.user, appeal=appeal, resolution=payload.resolution, resolved=payload.resolved
        )
    elif payload.step == Step.FEEDBACK:
        services.appeal_feedback(
            acting_user=request.user,
            appeal=appeal,
            feedback=payload.feedback,
            satisfaction=payload.satisfaction,
        )
    else:
        raise ValidationError({"step": _("未知的办理步骤")})
    return selectors.get_appeal_for_user(user=request.user, pk=appeal_id)


class AppealEditIn(Schema):
    """What was registered of a request, corrected (those given change); steps move by steps."""

    reason: str = Field(max_length=100)
    channel: str | None = Field(None, max_length=10)
    category: str | None = Field(None, max_length=12)
    team: str | None = Field(None, max_length=10)
    requester_name: str | None = Field(None, max_length=50)
    requester_phone: str | None = Field(None, max_length=30)
    content: str | None = Field(None, max_length=5000)


@router.patch(
    "/appeals/{appeal_id}",
    response={400: ErrorOut, 200: AppealDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct what was registered of a request (the studio or the region's workers)",
)
def edit_appeal(request: HttpRequest, appeal_id: int, payload: AppealEditIn) -> Any:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=appeal_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "reason"}
    editing.appeal_update(acting_user=request.user, appeal=appeal, reason=payload.reason, **changes)
    return selectors.get_appeal_for_user(user=request.user, pk=appeal_id)


class SuperviseIn(Schema):
    note: str = Field(max_length=300, description="督办意见")


@router.post(
    "/appeals/{appeal_id}/supervise",
    response={200: AppealDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="督办: press an overdue request (the street's supervisors)",
)
def appeal_supervise(request: AuthedRequest, appeal_id: int, payload: SuperviseIn) -> Any:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=appeal_id)
    require(request, SUPERVISE_APPEALS)
    services.appeal_supervise(acting_user=request.user, appeal=appeal, note=payload.note)
    return selectors.get_appeal_for_user(user=request.user, pk=appeal_id)


class ReturnCallIn(Schema):
    outcome: ReturnOutcome = Field(description="confirmed, not_resolved or unreachable")
    satisfaction: str = Field(
        "", max_length=12, description="satisfied, basic or dissatisfied; empty: not asked"
    )
    note: str = Field("", max_length=300)


@router.post(
    "/appeals/{appeal_id}/return-call",
    response={200: AppealDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="回访: record a call back to the requester after archiving, with its outcome",
)
def appeal_return_call(request: AuthedRequest, appeal_id: int, payload: ReturnCallIn) -> Any:
    appeal = selectors.get_appeal_for_user(user=request.user, pk=appeal_id)
    require(request, HANDLE_APPEALS)
    services.appeal_return_call(
        acting_user=request.user,
        appeal=appeal,
        outcome=payload.outcome,
        satisfaction=payload.satisfaction,
        note=payload.note,
    )
    return selectors.get_appeal_for_user(user=request.user, pk=appeal_id)
