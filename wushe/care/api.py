"""Care plan endpoints (/api/v1/care-plans): the plans in scope, a plan with its month planned
against done, new plans, service records and carers' training. Bad input answers 422 naming the
field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.consent.checks import basis_warnings
from wushe.consent.models import DataKind
from wushe.core.api import ErrorOut
from wushe.core.checks import today
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.scoping import visible_or_above
from wushe.core.web import AuthedRequest
from wushe.partners.models import Organization

from . import selectors, services
from .models import CarePlan, ServiceType
from .selectors import PlanMonth

router = Router(tags=["care"])

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class PlanOut(Schema):
    id: int
    kind: str
    person: int
    person_name: str
    household: int
    region: str
    provider: int
    provider_name: str
    workers: str
    self_care: str
    needs: str
    started_on: datetime.date
    review_on: datetime.date
    ended_on: datetime.date | None
    warnings: list[str] = Field(
        default_factory=list, description="after creating: health data recorded without consent or basis"
    )


class MonthLineOut(Schema):
    service_type: str
    planned: int
    done: int
    gap: int
    minutes: int


class MonthOut(Schema):
    plan: int
    month: str
    planned: int
    done: int
    lines: list[MonthLineOut]


class ServiceIn(Schema):
    service_type: str = Field(..., max_length=30, description="服务类别代码，如 cleaning")
    times_per_month: int = Field(..., ge=1, le=services.MAX_TIMES)
    months: str = Field("", max_length=40)


class PlanIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    kind: str = Field("severe", max_length=10)
    self_care: str = Field(..., max_length=10)
    needs: str = Field(..., max_length=2000)
    assessed_on: Date | None = None
    provider: int = Field(..., ge=1, le=MAX_ID)
    workers: str = Field(..., max_length=200)
    started_on: Date
    review_on: Date
    services: list[ServiceIn] = Field(..., max_length=30)


class RecordIn(Schema):
    service_type: str = Field(..., max_length=30)
    served_on: Date
    minutes: int = Field(..., ge=1, le=services.MAX_MINUTES)
    worker: str = Field(..., max_length=50)
    content: str = Field("", max_length=200)
    satisfaction: str = Field(..., max_length=12)


class RecordOut(Schema):
    id: int
    plan: int
    service_type: str
    served_on: datetime.date
    minutes: int
    worker: str
    content: str
    satisfaction: str


class TrainingIn(Schema):
    trained_on: Date
    carer: str = Field(..., max_length=50)
    topic: str = Field(..., max_length=200)
    hours: Decimal = Field(..., gt=0, max_digits=4, decimal_places=1)
    trainer: str = Field(..., max_length=50)


class TrainingOut(Schema):
    id: int
    trained_on: datetime.date
    carer: str
    topic: str
    hours: str
    trainer: str


def _plan_out(p: CarePlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "person": p.person_id,
        "person_name": p.person.name,
        "household": p.household_id,
        "region": p.region.code,
        "provider": p.provider_id,
        "provider_name": p.provider.name,
        "workers": p.workers,
        "self_care": p.self_care,
        "needs": p.needs,
        "started_on": p.started_on,
        "review_on": p.review_on,
        "ended_on": p.ended_on,
    }


def _month_out(pm: PlanMonth) -> dict[str, Any]:
    return {
        "plan": pm.plan.pk,
        "month": f"{pm.month:%Y-%m}",
        "planned": pm.planned,
        "done": pm.done,
        "lines": [
            {
                "service_type": line.service_type.code,
                "planned": line.planned,
                "done": line.done,
                "gap": line.gap,
                "minutes": line.minutes,
            }
            for line in pm.lines
        ],
    }


def _service_type(code: str, field: str) -> ServiceType:
    found = ServiceType.objects.filter(code=code, active=True).first()
    if found is None:
        raise ValidationError({field: _("服务类别“%(c)s”不存在或已停用") % {"c": code}})
    return found


@router.get(
    "/care-plans", response={200: list[PlanOut], 422: ErrorOut}, summary="Care plans in scope (照护计划)"
)
@paginate(LimitOffsetPagination)
def plans(
    request: HttpRequest,
    q: str = Query("", max_length=60),
    kind: str = Query("", max_length=10),
    active: bool = False,
) -> Any:
    filters = selectors.PlanFilters(q=q, kind=kind, active=active)
    return [_plan_out(p) for p in selectors.plan_list(user=request.user, filters=filters)]


@router.post("/care-plans", response={201: PlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def plan_create(request: AuthedRequest, payload: PlanIn) -> Any:
    person = selectors.get_person_for_user(request.user, payload.person)
    provider = visible_or_above(Organization.objects.all(), request.user).filter(pk=payload.provider).first()
    if provider is None:
        raise ValidationError({"provider": _("所选服务机构不存在或不在您的管辖范围内")})
    lines = [
        services.ServiceLine(_service_type(s.service_type, "services"), s.times_per_month, s.months)
        for s in payload.services
    ]
    plan = services.care_plan_create(
        acting_user=request.user,
        person=person,
        kind=payload.kind,
        self_care=payload.self_care,
        needs=payload.needs,
        assessed_on=payload.assessed_on or today(),
        provider=provider,
        workers=payload.workers,
        started_on=payload.started_on,
        review_on=payload.review_on,
        services=lines,
    )
    out = _plan_out(selectors.get_plan_for_user(request.user, plan.pk))
    out["warnings"] = basis_warnings(person, [DataKind.HEALTH])  # a care plan holds health data
    return Status(201, out)


@router.get("/care-plans/{plan_id}", response={200: PlanOut, 404: ErrorOut, 422: ErrorOut})
def plan_detail(request: HttpRequest, plan_id: int) -> Any:
    return _plan_out(selectors.get_plan_for_user(request.user, plan_id))


@router.get("/care-plans/{plan_id}/month", response={200: MonthOut, 404: ErrorOut, 422: ErrorOut})
def plan_month(request: HttpRequest, plan_id: int, month: str = Query("", pattern=MONTH)) -> Any:
    plan = selectors.get_plan_for_user(request.user, plan_id)
    return _month_out(selectors.plan_month(plan, selectors.parse_month(month, today())))


@router.get("/care-plans/{plan_id}/records", response={200: list[RecordOut], 404: ErrorOut, 422: ErrorOut})
@paginate(LimitOffsetPagination)
def plan_records(request: HttpRequest, plan_id: int) -> Any:
    plan = selectors.get_plan_for_user(request.user, plan_id)
    return [_record_out(r) for r in selectors.record_list(user=request.user, plan=plan)]


def _record_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "plan": r.plan_id,
        "service_type": r.service_type.code,
        "served_on": r.served_on,
        "minutes": r.minutes,
        "worker": r.worker,
        "content": r.content,
        "satisfaction": r.satisfaction,
    }


@router.post(
    "/care-plans/{plan_id}/records", response={201: RecordOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def record_create(request: AuthedRequest, plan_id: int, payload: RecordIn) -> Any:
    plan = selectors.get_plan_for_user(request.user, plan_id)
    record = services.service_record_create(
        acting_user=request.user,
        plan=plan,
        service_type=_service_type(payload.service_type, "service_type"),
        served_on=payload.served_on,
        minutes=payload.minutes,
        worker=payload.worker,
        content=payload.content,
        satisfaction=payload.satisfaction,
    )
    return Status(201, _record_out(record))


@router.post(
    "/care-plans/{plan_id}/trainings",
    response={201: TrainingOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def training_create(request: AuthedRequest, plan_id: int, payload: TrainingIn) -> Any:
    plan = selectors.get_plan_for_user(request.user, plan_id)
    t = services.carer_training_create(
        acting_user=request.user,
        plan=plan,
        trained_on=payload.trained_on,
        carer=payload.carer,
        topic=payload.topic,
        hours=payload.hours,
        trainer=payload.trainer,
    )
    return Status(
        201,
        {
            "id": t.pk,
            "trained_on": t.trained_on,
            "carer": t.carer,
            "topic": t.topic,
            "hours": f"{t.hours:.1f}",
            "trainer": t.trainer,
        },
    )
