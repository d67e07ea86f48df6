"""防返贫监测: leads through their steps, monitoring objects with measures, income and elimination."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import READ_REGISTRY, RECORD_OUTREACH
from wushe.core.api import Date, ErrorOut, Flag, require
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.registry.selectors import get_household_for_user

from .. import selectors, services
from ..models import Lead, MonitoringObject
from .common import router, yuan

# ---- 防返贫监测 -------------------------------------------------------------------------------


class StepOut(Schema):
    step: str
    label: str
    approved: bool
    done_on: datetime.date
    notice_from: datetime.date | None
    notice_to: datetime.date | None
    note: str
    by: str


class LeadOut(Schema):
    id: int
    household: int
    region: str
    source: str
    kind: str
    risk_type: str
    reason: str
    raised_on: datetime.date
    deadline: datetime.date
    stage: str
    overdue: bool
    finished_on: datetime.date | None
    steps: list[StepOut]


class LeadIn(Schema):
    household: int = Field(..., ge=1, le=MAX_ID)
    source: str = Field(..., max_length=12)
    kind: str = Field(..., max_length=10)
    risk_type: str = Field(..., max_length=12)
    reason: str = Field(..., max_length=300)
    raised_on: Date | None = None


class StepIn(Schema):
    step: str = Field(..., max_length=10)
    approved: Flag = True
    done_on: Date | None = None
    notice_from: Date | None = None
    notice_to: Date | None = None
    note: str = Field("", max_length=300)
    no_labour: Flag = False


def lead_out(lead: Lead, with_steps: bool = True) -> dict[str, Any]:
    return {
        "id": lead.pk,
        "household": lead.household_id,
        "region": lead.region.code,
        "source": lead.source,
        "kind": lead.kind,
        "risk_type": lead.risk_type,
        "reason": lead.reason,
        "raised_on": lead.raised_on,
        "deadline": lead.deadline,
        "stage": lead.stage,
        "overdue": lead.is_open and lead.deadline < selectors.today(),
        "finished_on": lead.finished_on,
        "steps": [
            {
                "step": s.step,
                "label": str(s.get_step_display()),
                "approved": s.approved,
                "done_on": s.done_on,
                "notice_from": s.notice_from,
                "notice_to": s.notice_to,
                "note": s.note,
                "by": str(s.by or ""),
            }
            for s in lead.steps.all()
        ]
        if with_steps
        else [],
    }


@router.get(
    "/monitoring/leads", response={200: list[LeadOut], 422: ErrorOut}, summary="Monitoring leads (监测线索)"
)
@paginate(LimitOffsetPagination)
def lead_list(request: HttpRequest, overdue: bool = False) -> Any:
    require(request, READ_REGISTRY)
    return [
        lead_out(x)
        for x in selectors.leads_page(user=request.user, filters=overdue).prefetch_related("steps__by")
    ]


@router.get("/monitoring/leads/{lead_id}", response={200: LeadOut, 404: ErrorOut, 422: ErrorOut})
def lead_detail(request: HttpRequest, lead_id: int) -> Any:
    require(request, READ_REGISTRY)
    return lead_out(selectors.get_lead_for_user(request.user, lead_id))


@router.post(
    "/monitoring/leads", response={201: LeadOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def lead_create(request: AuthedRequest, payload: LeadIn) -> Any:
    require(request, RECORD_OUTREACH)
    household = get_household_for_user(user=request.user, pk=payload.household)
    lead = services.lead_create(
        acting_user=request.user,
        household=household,
        source=payload.source,
        kind=payload.kind,
        risk_type=payload.risk_type,
        reason=payload.reason,
        raised_on=payload.raised_on,
    )
    return Status(201, lead_out(selectors.get_lead_for_user(request.user, lead.pk)))


@router.post(
    "/monitoring/leads/{lead_id}/steps",
    response={200: LeadOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def lead_step(request: AuthedRequest, lead_id: int, payload: StepIn) -> Any:
    require(request, RECORD_OUTREACH)
    lead = selectors.get_lead_for_user(request.user, lead_id)
    services.lead_step(
        acting_user=request.user,
        lead=lead,
        step=payload.step,
        approved=payload.approved,
        done_on=payload.done_on,
        note=payload.note,
        notice_from=payload.notice_from,
        notice_to=payload.notice_to,
        no_labour=payload.no_labour,
    )
    return lead_out(selectors.get_lead_for_user(request.user, lead_id))


class MeasureOut(Schema):
    id: int
    kind: str
    description: str
    cadre: str
    started_on: datetime.date


class IncomeOut(Schema):
    month: str
    income_per_person: str


class ObjectOut(Schema):
    id: int
    household: int
    region: str
    kind: str
    risk_type: str
    status: str
    started_on: datetime.date
    eliminated_on: datetime.date | None
    no_labour: bool
    measures: list[MeasureOut]
    incomes: list[IncomeOut]


class MeasureIn(Schema):
    kind: str = Field(..., max_length=12)
    description: str = Field(..., max_length=300)
    cadre: str = Field(..., max_length=50)
    started_on: Date | None = None


class IncomeIn(Schema):
    month: Date
    income_per_person: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)


class EliminateIn(Schema):
    on: Date | None = None


def _object_out(o: MonitoringObject) -> dict[str, Any]:
    return {
        "id": o.pk,
        "household": o.household_id,
        "region": o.region.code,
        "kind": o.kind,
        "risk_type": o.risk_type,
        "status": o.status,
        "started_on": o.started_on,
        "eliminated_on": o.eliminated_on,
        "no_labour": o.no_labour,
        "measures": [
            {
                "id": m.pk,
                "kind": m.kind,
                "description": m.description,
                "cadre": m.cadre,
                "started_on": m.started_on,
            }
            for m in o.measures.all()
        ],
        "incomes": [
            {"month": f"{i.month:%Y-%m}", "income_per_person": yuan(i.income_per_person)}
            for i in sorted(o.incomes.all(), key=lambda i: i.month)
        ],
    }


@router.get(
    "/monitoring/objects",
    response={200: list[ObjectOut], 422: ErrorOut},
    summary="Monitoring objects (监测对象)",
)
@paginate(LimitOffsetPagination)
def object_list(request: HttpRequest, status: str = Query("", max_length=12)) -> Any:
    require(request, READ_REGISTRY)
    qs = selectors.objects_page(user=request.user, filters=status).prefetch_related("measures", "incomes")
    return [_object_out(o) for o in qs]


@router.get("/monitoring/objects/{object_id}", response={200: ObjectOut, 404: ErrorOut, 422: ErrorOut})
def object_detail(request: HttpRequest, object_id: int) -> Any:
    require(request, READ_REGISTRY)
    return _object_out(selectors.get_object_for_user(request.user, object_id))


@router.post(
    "/monitoring/objects/{object_id}/measures",
    response={201: ObjectOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def measure_create(request: AuthedRequest, object_id: int, payload: MeasureIn) -> Any:
    require(request, RECORD_OUTREACH)
    obj = selectors.get_object_for_user(request.user, object_id)
    services.measure_add(
        acting_user=request.user,
        monitored=obj,
        kind=payload.kind,
        description=payload.description,
        cadre=payload.cadre,
        started_on=payload.started_on,
    )
    return Status(201, _object_out(selectors.get_object_for_user(request.user, object_id)))


@router.post(
    "/monitoring/objects/{object_id}/incomes",
    response={200: ObjectOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def income_create(request: AuthedRequest, object_id: int, payload: IncomeIn) -> Any:
    require(request, RECORD_OUTREACH)
    obj = selectors.get_object_for_user(request.user, object_id)
    services.income_record(
        acting_user=request.user,
        monitored=obj,
        month=payload.month,
        income_per_person=payload.income_per_person,
    )
    return _object_out(selectors.get_object_for_user(request.user, object_id))


@router.post(
    "/monitoring/objects/{object_id}/eliminate",
    response={200: ObjectOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def object_eliminate(request: AuthedRequest, object_id: int, payload: EliminateIn) -> Any:
    require(request, RECORD_OUTREACH)
    obj = selectors.get_object_for_user(request.user, object_id)
    services.object_eliminate(acting_user=request.user, monitored=obj, on=payload.on)
    return _object_out(selectors.get_object_for_user(request.user, object_id))
