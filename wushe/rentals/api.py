"""Rental endpoints (/api/v1/rentals): items and their status, rentals, renewals, returns and
utilisation. Money is an exact decimal string with two places; bad input answers 422 naming the
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

from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.api import ErrorOut, require
from wushe.core.checks import today
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.scoping import visible_or_above
from wushe.core.web import AuthedRequest
from wushe.partners.models import Organization

from . import selectors, services
from .models import DeviceType, Item, Rental

router = Router(tags=["rentals"])


def yuan(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


class ItemOut(Schema):
    id: int
    serial_number: str
    device_type: str
    device_type_name: str
    site: int
    site_name: str
    status: str
    model_name: str
    acquired_on: datetime.date


class ItemIn(Schema):
    site: int = Field(..., ge=1, le=MAX_ID)
    device_type: str = Field(..., max_length=20, description="GB/T 16432 分类代码")
    serial_number: str = Field(..., max_length=40)
    model_name: str = Field("", max_length=60)
    acquired_on: Date | None = None


class AdvanceIn(Schema):
    to_status: str = Field(..., max_length=10, description="repair, in_stock or scrapped")
    note: str = Field("", max_length=200)


class RentalOut(Schema):
    id: int
    number: str
    person: int
    person_name: str
    item: int
    serial_number: str
    device_type: str
    assessed_by: str
    assessed_on: datetime.date
    deposit: str
    deposit_waived: bool
    waiver_reason: str
    deposit_held: str
    monthly_rent: str
    started_on: datetime.date
    due_on: datetime.date
    returned_on: datetime.date | None
    return_condition: str
    overdue: bool


class RentalIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    item: int = Field(..., ge=1, le=MAX_ID)
    assessed_by: int = Field(..., ge=1, le=MAX_ID)
    assessed_on: Date | None = None
    assessment: str = Field(..., max_length=500)
    started_on: Date | None = None
    due_on: Date | None = None
    deposit: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    monthly_rent: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    waive_deposit: bool = False
    waiver_reason: str = Field("", max_length=100)


class RenewIn(Schema):
    due_on: Date


class ReturnIn(Schema):
    returned_on: Date | None = None
    condition: str = Field(..., max_length=10)
    note: str = Field("", max_length=200)
    deduction: Decimal = Field(Decimal("0.00"), ge=0, max_digits=10, decimal_places=2)


class UtilisationOut(Schema):
    site: str
    device_type: str
    items: int
    rented: int
    percent: str | None


def _item_out(i: Item) -> dict[str, Any]:
    return {
        "id": i.pk,
        "serial_number": i.serial_number,
        "device_type": i.device_type.code,
        "device_type_name": i.device_type.name,
        "site": i.site_id,
        "site_name": i.site.name,
        "status": i.status,
        "model_name": i.model_name,
        "acquired_on": i.acquired_on,
    }


def _rental_out(r: Rental) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "person": r.person_id,
        "person_name": r.person.name,
        "item": r.item_id,
        "serial_number": r.item.serial_number,
        "device_type": r.item.device_type.code,
        "assessed_by": r.assessed_by.name,
        "assessed_on": r.assessed_on,
        "deposit": yuan(r.deposit),
        "deposit_waived": r.deposit_waived,
        "waiver_reason": r.waiver_reason,
        "deposit_held": yuan(selectors.deposit_held(r)),
        "monthly_rent": yuan(r.monthly_rent),
        "started_on": r.started_on,
        "due_on": r.due_on,
        "returned_on": r.returned_on,
        "return_condition": r.return_condition,
        "overdue": r.returned_on is None and r.due_on < today(),
    }


@router.get(
    "/rentals/items", response={200: list[ItemOut], 422: ErrorOut}, summary="Assistive devices (辅助器具)"
)
@paginate(LimitOffsetPagination)
def items(
    request: HttpRequest,
    q: str = Query("", max_length=60),
    site: int | None = Query(None, ge=1, le=MAX_ID),
    status: str = Query("", max_length=10),
) -> Any:
    filters = selectors.ItemFilters(q=q, site=site, status=status)
    return [_item_out(i) for i in selectors.item_list(user=request.user, filters=filters)]


@router.post("/rentals/items", response={201: ItemOut, 403: ErrorOut, 422: ErrorOut})
def item_add(request: AuthedRequest, payload: ItemIn) -> Any:
    require(request, MANAGE_LISTS)
    site = selectors.site_list(user=request.user).filter(pk=payload.site).first()
    if site is None:
        raise ValidationError({"site": _("所选租赁点不存在或不在您的管辖范围内")})
    kind = DeviceType.objects.filter(code=payload.device_type).first()
    if kind is None:
        raise ValidationError({"device_type": _("器具类别不存在")})
    item = services.item_add(
        acting_user=request.user,
        site=site,
        device_type=kind,
        serial_number=payload.serial_number,
        model_name=payload.model_name,
        acquired_on=payload.acquired_on or today(),
    )
    return Status(201, _item_out(item))


@router.get("/rentals/items/{item_id}", response={200: ItemOut, 404: ErrorOut, 422: ErrorOut})
def item_detail(request: HttpRequest, item_id: int) -> Any:
    return _item_out(selectors.get_item_for_user(request.user, item_id))


@router.post(
    "/rentals/items/{item_id}/advance", response={200: ItemOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def item_advance(request: AuthedRequest, item_id: int, payload: AdvanceIn) -> Any:
    item = selectors.get_item_for_user(request.user, item_id)
    item = services.item_advance(
        acting_user=request.user, item=item, to_status=payload.to_status, note=payload.note
    )
    return _item_out(item)


@router.get("/rentals/utilization", response={200: list[UtilisationOut], 422: ErrorOut})
def utilization(request: HttpRequest) -> Any:
    return [
        {"site": u.site, "device_type": u.device_type, "items": u.items, "rented": u.rented,
         "percent": None if u.percent is None else f"{u.percent}"}
        for u in selectors.utilisation(user=request.user)
    ]  # fmt: skip


@router.get("/rentals", response={200: list[RentalOut], 422: ErrorOut}, summary="Rentals in scope (租赁单)")
@paginate(LimitOffsetPagination)
def rentals(
    request: HttpRequest, q: str = Query("", max_length=60), open: bool = False, overdue: bool = False
) -> Any:
    filters = selectors.RentalFilters(q=q, open=open, overdue=overdue)
    return [_rental_out(r) for r in selectors.rental_list(user=request.user, filters=filters)]


@router.post("/rentals", response={201: RentalOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def rental_create(request: AuthedRequest, payload: RentalIn) -> Any:
    person = selectors.get_person_for_user(request.user, payload.person)
    item = selectors.item_list(user=request.user).filter(pk=payload.item).first()
    if item is None:
        raise ValidationError({"item": _("所选器具不存在或不在您的管辖范围内")})
    org = visible_or_above(Organization.objects.all(), request.user).filter(pk=payload.assessed_by).first()
    if org is None:
        raise ValidationError({"assessed_by": _("所选机构不存在或不在您的管辖范围内")})
    started = payload.started_on or today()
    rental = services.rental_create(
        acting_user=request.user,
        person=person,
        item=item,
        assessed_by=org,
        assessed_on=payload.assessed_on or started,
        assessment=payload.assessment,
        started_on=started,
        due_on=payload.due_on,
        deposit=payload.deposit,
        monthly_rent=payload.monthly_rent,
        waive_deposit=payload.waive_deposit,
        waiver_reason=payload.waiver_reason,
    )
    return Status(201, _rental_out(selectors.get_rental_for_user(request.user, rental.pk)))


@router.get("/rentals/{rental_id}", response={200: RentalOut, 404: ErrorOut, 422: ErrorOut})
def rental_detail(request: HttpRequest, rental_id: int) -> Any:
    return _rental_out(selectors.get_rental_for_user(request.user, rental_id))


@router.post(
    "/rentals/{rental_id}/renew", response={200: RentalOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def rental_renew(request: AuthedRequest, rental_id: int, payload: RenewIn) -> Any:
    rental = selectors.get_rental_for_user(request.user, rental_id)
    services.rental_renew(acting_user=request.user, rental=rental, due_on=payload.due_on)
    return _rental_out(selectors.get_rental_for_user(request.user, rental_id))


@router.post(
    "/rentals/{rental_id}/return", response={200: RentalOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def rental_return(request: AuthedRequest, rental_id: int, payload: ReturnIn) -> Any:
    rental = selectors.get_rental_for_user(request.user, rental_id)
    services.rental_return(
        acting_user=request.user,
        rental=rental,
        returned_on=payload.returned_on or today(),
        condition=payload.condition,
        note=payload.note,
        deduction=payload.deduction,
    )
    return _rental_out(selectors.get_rental_for_user(request.user, rental_id))
