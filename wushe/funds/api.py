"""Fund endpoints: funds and their balance, donations, disbursement requests, approval, payment,
statements. Money is an exact decimal string with two places."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.core.api import ErrorOut
from wushe.core.checks import today
from wushe.core.dates import Date
from wushe.core.ledger import balance
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.needs.models import NeedCategory
from wushe.partners.models import Organization
from wushe.projects.models import Project
from wushe.registry.models import Household, Person

from . import selectors, services
from .models import Disbursement, Donation, Fund, FundEntry

router = Router(tags=["funds"])


def yuan(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


class FundOut(Schema):
    id: int
    name: str
    region: str
    region_name: str
    organization: str
    purpose: str
    opened_on: datetime.date
    closed_on: datetime.date | None


class FundDetailOut(FundOut):
    balance: str


def _fund_out(f: Fund, with_balance: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": f.pk,
        "name": f.name,
        "region": f.region.code,
        "region_name": f.region.name,
        "organization": f.organization.name,
        "purpose": f.purpose,
        "opened_on": f.opened_on,
        "closed_on": f.closed_on,
    }
    if with_balance:
        out["balance"] = yuan(balance(FundEntry.objects.filter(fund=f)))
    return out


class DonationOut(Schema):
    id: int
    donor: str
    donor_kind: str
    amount: str
    donated_on: datetime.date
    channel: str
    item: str
    restriction: str
    receipt_number: str


class DonationIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    donated_on: Date | None = None
    channel: str = Field("bank", max_length=10)
    donor_kind: str = Field("anonymous", max_length=12)
    display: str = Field("anonymous", max_length=10)
    donor_name: str = Field("", max_length=100)
    donor_person: int | None = Field(None, ge=1, le=MAX_ID)
    donor_organization: int | None = Field(None, ge=1, le=MAX_ID)
    item: str = Field("", max_length=100)
    restriction: str = Field("", max_length=10)
    restricted_to: int | None = Field(None, ge=1, le=MAX_ID)
    receipt_number: str = Field("", max_length=30)


class DisbursementOut(Schema):
    id: int
    fund: int
    amount: str
    purpose: str
    project: int | None
    recipient: str
    status: str
    votes: int
    paid_on: datetime.date | None
    voucher_number: str


class DisbursementIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    purpose: str = Field(..., max_length=200)
    project: int | None = Field(None, ge=1, le=MAX_ID)
    household: int | None = Field(None, ge=1, le=MAX_ID)
    person: int | None = Field(None, ge=1, le=MAX_ID)
    category: int | None = Field(None, ge=1, le=MAX_ID)
    attachments: str = Field("", max_length=2000)


class PayIn(Schema):
    method: str = Field("银行转账", max_length=30)
    voucher_number: str = Field(..., max_length=40)
    paid_on: Date | None = None


class PoolOut(Schema):
    pool: str
    label: str
    opening: str
    inflow: str
    outflow: str
    closing: str


class StatementOut(Schema):
    fund: int
    start: datetime.date
    end: datetime.date
    opening: str
    inflow: str
    outflow: str
    closing: str
    pools: list[PoolOut]


def _donation_out(d: Donation, full: bool) -> dict[str, Any]:
    receipt = getattr(d, "receipt", None)
    return {
        "id": d.pk,
        "donor": (d.donor_name or _("匿名")) if full else selectors.donor_public_name(d),
        "donor_kind": d.donor_kind,
        "amount": yuan(d.amount),
        "donated_on": d.donated_on,
        "channel": d.channel,
        "item": d.item,
        "restriction": d.restriction,
        "receipt_number": receipt.number if receipt else "",
    }


def _disbursement_out(d: Disbursement, full: bool) -> dict[str, Any]:
    if full:
        recipient = d.project.name if d.project else d.person.name if d.person else str(d.household or "")
    else:
        recipient = selectors.recipient_public_name(d)
    return {
        "id": d.pk,
        "fund": d.fund_id,
        "amount": yuan(d.amount),
        "purpose": d.purpose if full else selectors.public_purpose(d),
        "project": d.project_id,
        "recipient": recipient,
        "status": d.status,
        "votes": d.votes.count(),
        "paid_on": d.paid_on,
        "voucher_number": d.voucher_number,
    }


@router.get(
    "/funds", response={200: list[FundOut], 422: ErrorOut}, summary="Charity funds in scope (社区慈善基金)"
)
@paginate(LimitOffsetPagination)
def funds(request: HttpRequest, q: str = Query("", max_length=60)) -> Any:
    return [_fund_out(f) for f in selectors.fund_list(user=request.user, q=q)]


@router.get("/funds/{fund_id}", response={200: FundDetailOut, 404: ErrorOut, 422: ErrorOut})
def fund_detail(request: HttpRequest, fund_id: int) -> Any:
    return _fund_out(selectors.get_fund_for_user(request.user, fund_id), with_balance=True)


@router.get("/funds/{fund_id}/donations", response={200: list[DonationOut], 404: ErrorOut, 422: ErrorOut})
@paginate(LimitOffsetPagination)
def fund_donations(request: HttpRequest, fund_id: int) -> Any:
    fund = selectors.get_fund_for_user(request.user, fund_id)
    full = selectors.sees_details(request.user)
    return [_donation_out(d, full) for d in selectors.donation_list(user=request.user, fund=fund)]


def _pick(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("所选对象不存在或不在您的管辖范围内")})
    return obj


_RESTRICTED = {"project": Project, "person": Person, "household": Household, "category": NeedCategory}


@router.post(
    "/funds/{fund_id}/donations",
    response={201: DonationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def fund_donation_create(request: AuthedRequest, fund_id: int, payload: DonationIn) -> Any:
    fund = selectors.get_fund_for_user(request.user, fund_id)
    target = _pick(_RESTRICTED.get(payload.restriction, Project), payload.restricted_to, "restricted_to")
    d = services.donation_record(
        acting_user=request.user,
        fund=fund,
        amount=payload.amount,
        donated_on=payload.donated_on or today(),
        channel=payload.channel,
        donor_kind=payload.donor_kind,
        display=payload.display,
        donor_name=payload.donor_name,
        donor_person=_pick(Person, payload.donor_person, "donor_person"),
        donor_organization=_pick(Organization, payload.donor_organization, "donor_organization"),
        item=payload.item,
        restriction=payload.restriction,
        restricted_to=target,
        receipt_number=payload.receipt_number,
    )
    return Status(201, _donation_out(selectors.get_donation_for_user(request.user, d.pk), True))


@router.get(
    "/funds/{fund_id}/disbursements", response={200: list[DisbursementOut], 404: ErrorOut, 422: ErrorOut}
)
@paginate(LimitOffsetPagination)
def fund_disbursements(request: HttpRequest, fund_id: int) -> Any:
    fund = selectors.get_fund_for_user(request.user, fund_id)
    full = selectors.sees_details(request.user)
    qs = selectors.disbursement_list(user=request.user, fund=fund).prefetch_related("votes")
    return [_disbursement_out(d, full) for d in qs]


@router.post(
    "/funds/{fund_id}/disbursements",
    response={201: DisbursementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def fund_disbursement_create(request: AuthedRequest, fund_id: int, payload: DisbursementIn) -> Any:
    fund = selectors.get_fund_for_user(request.user, fund_id)
    d = services.disbursement_request(
        acting_user=request.user,
        fund=fund,
        amount=payload.amount,
        purpose=payload.purpose,
        project=_pick(Project, payload.project, "project"),
        household=_pick(Household, payload.household, "household"),
        person=_pick(Person, payload.person, "person"),
        category=_pick(NeedCategory, payload.category, "category"),
        attachments=payload.attachments,
    )
    return Status(201, _disbursement_out(d, True))


@router.post(
    "/disbursements/{disbursement_id}/approve",
    response={200: DisbursementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def disbursement_approve(request: AuthedRequest, disbursement_id: int) -> Any:
    d = selectors.get_disbursement_for_user(request.user, disbursement_id)
    d = services.disbursement_approve(acting_user=request.user, disbursement=d)
    return _disbursement_out(d, selectors.sees_details(request.user))


class RejectIn(Schema):
    reason: str = Field(..., max_length=200)


@router.post(
    "/disbursements/{disbursement_id}/reject",
    response={200: DisbursementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def disbursement_reject(request: AuthedRequest, disbursement_id: int, payload: RejectIn) -> Any:
    d = selectors.get_disbursement_for_user(request.user, disbursement_id)
    d = services.disbursement_reject(acting_user=request.user, disbursement=d, reason=payload.reason)
    return _disbursement_out(d, selectors.sees_details(request.user))


@router.post(
    "/disbursements/{disbursement_id}/pay",
    response={200: DisbursementOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def disbursement_pay(request: AuthedRequest, disbursement_id: int, payload: PayIn) -> Any:
    d = selectors.get_disbursement_for_user(request.user, disbursement_id)
    d = services.disbursement_pay(
        acting_user=request.user,
        disbursement=d,
        method=payload.method,
        voucher_number=payload.voucher_number,
        paid_on=payload.paid_on,
    )
    return _disbursement_out(d, selectors.sees_details(request.user))


@router.get("/funds/{fund_id}/statement", response={200: StatementOut, 404: ErrorOut, 422: ErrorOut})
def fund_statement(
    request: HttpRequest,
    fund_id: int,
    start: Date | None = Query(None, alias="from"),
    end: Date | None = Query(None, alias="to"),
) -> Any:
    fund = selectors.get_fund_for_user(request.user, fund_id)
    end = end or today()
    start = start or end.replace(month=1, day=1)
    if start > end:
        raise ValidationError({"from": _("开始日期不能晚于结束日期")})
    s = selectors.statement(fund, start, end)
    return {
        "fund": fund.pk,
        "start": s.start,
        "end": s.end,
        "opening": yuan(s.opening),
        "inflow": yuan(s.inflow),
        "outflow": yuan(s.outflow),
        "closing": yuan(s.closing),
        "pools": [
            {
                "pool": p.pool,
                "label": p.label,
                "opening": yuan(p.opening),
                "inflow": yuan(p.inflow),
                "outflow": yuan(p.outflow),
                "closing": yuan(p.closing),
            }
            for p in s.pools
        ],
    }
