"""Work and income API — job fairs: enterprises, positions, applications, hires and their follow-up."""

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
from wushe.registry.models import Person

from .. import selectors, services
from ..models import (
    Application,
    JobFair,
)
from .common import WRITE_ERRORS, _pick, _reader, _region, router, yuan


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
