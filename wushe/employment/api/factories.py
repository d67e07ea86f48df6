"""Work and income API — micro-factories (微工厂): investment, workers, monthly pay and output."""

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
from wushe.funds.models import Disbursement
from wushe.partners.models import Organization
from wushe.projects.models import Project
from wushe.registry.models import Person

from .. import selectors, services
from ..models import (
    MicroFactory,
    Worker,
)
from .common import WRITE_ERRORS, _pick, _reader, _region, router, yuan


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
