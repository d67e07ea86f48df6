"""Consent endpoints (/api/v1/consents): a person's consents and statutory bases, recording one
(a consent given on a phone or orally; a signed paper's scan is uploaded on the page) or a
basis, and withdrawing one. Bad input answers 422 naming the field."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from wushe.accounts.roles import READ_REGISTRY
from wushe.core.api import ErrorOut
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest
from wushe.registry.selectors import get_person_for_user

from . import selectors, services
from .models import Basis, Consent, Party

router = Router(tags=["consent"])


class ConsentOut(Schema):
    id: int
    person: int
    kinds: list[str]
    basis: str
    basis_text: str
    purpose_kind: str
    purpose: str
    given_by: str
    guardian_name: str
    guardian_relation: str
    method: str
    has_scan: bool
    given_on: datetime.date
    withdrawn_on: datetime.date | None
    withdrawn_by_party: str
    withdrawal_method: str
    withdrawal_stops: str


class ConsentIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    kinds: list[str] = Field(
        ..., max_length=10, description="disability, health, assistance, photos, contact, other"
    )
    basis: str = Field(Basis.CONSENT, max_length=20, description="consent, or a statutory basis")
    basis_text: str = Field("", max_length=300, description="the law or duty (a statutory basis)")
    purpose_kind: str = Field(..., max_length=20)
    purpose: str = Field(..., max_length=300)
    given_by: str = Field(Party.SELF, max_length=10, description="self or guardian (a consent)")
    guardian_name: str = Field("", max_length=50)
    guardian_relation: str = Field("", max_length=20)
    method: str = Field("", max_length=10, description="phone or oral (paper: upload the scan on the page)")
    given_on: Date | None = None


class WithdrawIn(Schema):
    by_party: str = Field(Party.SELF, max_length=10)
    method: str = Field("", max_length=10)
    stops: str = Field(..., max_length=300, description="which processing stops")
    on: Date | None = None


def _out(c: Consent) -> dict[str, Any]:
    return {
        "id": c.pk,
        "person": c.person_id,
        "kinds": c.kind_list,
        "basis": c.basis,
        "basis_text": c.basis_text,
        "purpose_kind": c.purpose_kind,
        "purpose": c.purpose,
        "given_by": c.given_by,
        "guardian_name": c.guardian_name,
        "guardian_relation": c.guardian_relation,
        "method": c.method,
        "has_scan": bool(c.scan),
        "given_on": c.given_on,
        "withdrawn_on": c.withdrawn_on,
        "withdrawn_by_party": c.withdrawn_by_party,
        "withdrawal_method": c.withdrawal_method,
        "withdrawal_stops": c.withdrawal_stops,
    }


@router.get(
    "/consents",
    response={200: list[ConsentOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A person's consents and statutory bases (同意与处理依据)",
)
def consents(request: AuthedRequest, person: int = Query(..., ge=1, le=MAX_ID)) -> Any:
    require_perm(request.user, READ_REGISTRY)
    found = get_person_for_user(user=request.user, pk=person)
    return [_out(c) for c in selectors.consent_list(user=request.user, person=found)[:200]]


@router.post("/consents", response={201: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def consent_create(request: AuthedRequest, payload: ConsentIn) -> Any:
    person = get_person_for_user(user=request.user, pk=payload.person)
    if payload.basis == Basis.CONSENT:
        if payload.method == "paper":
            raise ValidationError({"method": _("纸质同意书请在居民页面上传扫描件")})
        record = services.consent_record(
            acting_user=request.user,
            person=person,
            kinds=payload.kinds,
            purpose_kind=payload.purpose_kind,
            purpose=payload.purpose,
            given_by=payload.given_by,
            guardian_name=payload.guardian_name,
            guardian_relation=payload.guardian_relation,
            method=payload.method,
            given_on=payload.given_on,
        )
    else:
        record = services.basis_record(
            acting_user=request.user,
            person=person,
            kinds=payload.kinds,
            basis=payload.basis,
            basis_text=payload.basis_text,
            purpose_kind=payload.purpose_kind,
            purpose=payload.purpose,
            on=payload.given_on,
        )
    return Status(201, _out(record))


@router.post(
    "/consents/{consent_id}/withdraw", response={200: ConsentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def consent_withdraw(request: AuthedRequest, consent_id: int, payload: WithdrawIn) -> Any:
    consent = selectors.get_consent_for_user(user=request.user, pk=consent_id)
    record = services.consent_withdraw(
        acting_user=request.user,
        consent=consent,
        by_party=payload.by_party,
        method=payload.method,
        stops=payload.stops,
        on=payload.on,
    )
    return _out(record)
