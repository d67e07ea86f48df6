"""Subsidy endpoints under /api/v1/subsidies: a person's eligibility for a month with the
reasons, applications and their steps, and the monthly rosters. Money is an exact decimal
string with two places; bank accounts only masked."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.core.api import ErrorOut
from wushe.core.checks import today
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest

from . import selectors, services
from .eligibility import Eligibility, month_start, parse_month
from .models import Application, Step
from .rosters import Computed

router = Router(tags=["subsidies"])


def _month(text: str) -> datetime.date:
    return parse_month(text) if text else month_start(today())


class ReasonOut(Schema):
    name: str
    label: str
    expression: str
    outcome: str
    error: str


class EligibilityOut(Schema):
    kind: str
    kind_label: str
    eligible: bool
    amount: str
    level: int
    rule: str
    facts: dict[str, Any]
    reasons: list[ReasonOut]


class PersonEligibilityOut(Schema):
    person: int
    month: str
    subsidies: list[EligibilityOut]


def _eligibility_out(e: Eligibility) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "kind_label": e.kind_label,
        "eligible": e.eligible,
        "amount": f"{e.amount:.2f}",
        "level": e.level,
        "rule": e.rule_source,
        "facts": e.facts,
        "reasons": [
            {
                "name": r.name,
                "label": r.label,
                "expression": r.expression,
                "outcome": r.outcome,
                "error": r.error,
            }
            for r in e.reasons
        ],
    }


@router.get(
    "/subsidies/persons/{person_id}/eligibility",
    response={200: PersonEligibilityOut, 404: ErrorOut, 422: ErrorOut},
    summary="A person's eligibility for the two subsidies in a month, with the reasons",
)
def eligibility(request: AuthedRequest, person_id: int, month: str = Query("", max_length=7)) -> Any:
    person = selectors.get_person_for_user(user=request.user, pk=person_id)
    when = _month(month)
    results = selectors.person_subsidies(user=request.user, person=person, month=when)
    return {
        "person": person.pk,
        "month": f"{when:%Y-%m}",
        "subsidies": [_eligibility_out(e) for e in results],
    }


class StepOut(Schema):
    step: str
    label: str
    passed: bool
    note: str
    publicity_days: int
    by: str
    at: datetime.datetime


class ApplicationOut(Schema):
    id: int
    person: int
    person_name: str
    kind: str
    applicant: str
    applicant_name: str
    bank_name: str
    bank_account: str
    applied_on: datetime.date
    month: str
    status: str
    status_label: str
    publicity_until: datetime.date | None
    approved_on: datetime.date | None
    reviewed_on: datetime.date | None
    ended_from: str | None


class ApplicationDetailOut(ApplicationOut):
    steps: list[StepOut]
    next_step: str | None


def _application_out(a: Application, steps: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.pk,
        "person": a.person_id,
        "person_name": a.person.name,
        "kind": a.kind,
        "applicant": a.applicant,
        "applicant_name": a.applicant_name,
        "bank_name": a.bank_name,
        "bank_account": a.bank_account_masked,
        "applied_on": a.applied_on,
        "month": f"{a.month:%Y-%m}",
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "publicity_until": a.publicity_until,
        "approved_on": a.approved_on,
        "reviewed_on": a.reviewed_on,
        "ended_from": f"{a.ended_from:%Y-%m}" if a.ended_from else None,
    }
    if steps:
        out["steps"] = [
            {
                "step": s.step,
                "label": str(s.get_step_display()),
                "passed": s.passed,
                "note": s.note,
                "publicity_days": s.publicity_days,
                "by": (s.by.display_name or s.by.username) if s.by else "",
                "at": s.at,
            }
            for s in a.steps.select_related("by")
        ]
        out["next_step"] = services.next_step(a)
    return out


@router.get("/subsidies/applications", response={200: list[ApplicationOut], 422: ErrorOut})
@paginate(LimitOffsetPagination)
def applications(
    request: AuthedRequest,
    status: str = Query("", max_length=10),
    kind: str = Query("", max_length=10),
) -> Any:
    return [_application_out(a) for a in selectors.applications(user=request.user, status=status, kind=kind)]


class ApplicationIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    kind: str = Field(..., max_length=10)
    applicant: str = Field("self", max_length=10)
    applicant_name: str = Field("", max_length=50)
    bank_name: str = Field(..., max_length=60)
    bank_account: str = Field(..., max_length=40)
    applied_on: Date | None = None
    note: str = Field("", max_length=300)


@router.post(
    "/subsidies/applications",
    response={201: ApplicationDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def application_create(request: AuthedRequest, payload: ApplicationIn) -> Any:
    person = selectors.get_person_for_user(user=request.user, pk=payload.person)
    a = services.application_submit(
        acting_user=request.user,
        person=person,
        kind=payload.kind,
        applicant=payload.applicant,
        applicant_name=payload.applicant_name,
        bank_name=payload.bank_name,
        bank_account=payload.bank_account,
        applied_on=payload.applied_on,
        note=payload.note,
    )
    return Status(201, _application_out(a, steps=True))


@router.get(
    "/subsidies/applications/{application_id}",
    response={200: ApplicationDetailOut, 404: ErrorOut, 422: ErrorOut},
)
def application_detail(request: AuthedRequest, application_id: int) -> Any:
    return _application_out(
        selectors.get_application_for_user(user=request.user, pk=application_id), steps=True
    )


class StepIn(Schema):
    step: str = Field(..., max_length=10, description="town, cdpf, mca or review")
    passed: bool = True
    note: str = Field("", max_length=300)
    publicity_days: int = Field(0, ge=0, le=365)


@router.post(
    "/subsidies/applications/{application_id}/steps",
    response={200: ApplicationDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def application_step(request: AuthedRequest, application_id: int, payload: StepIn) -> Any:
    a = selectors.get_application_for_user(user=request.user, pk=application_id)
    if payload.step == Step.REVIEW:
        a = services.application_review(
            acting_user=request.user, application=a, passed=payload.passed, note=payload.note
        )
    else:
        a = services.application_decide(
            acting_user=request.user,
            application=a,
            step=payload.step,
            passed=payload.passed,
            note=payload.note,
            publicity_days=payload.publicity_days,
        )
    return _application_out(a, steps=True)


class LineOut(Schema):
    application: int
    person: int
    person_name: str
    kind: str
    line: str
    for_month: str
    level: int
    amount: str
    change: str
    reason: str


class ChangesOut(Schema):
    new: int
    stopped: int
    changed: int


class RosterOut(Schema):
    region: str
    region_name: str
    month: str
    state: str
    living: int
    nursing: int
    amount: str
    changes: ChangesOut
    lines: list[LineOut]


def _roster_out(c: Computed) -> dict[str, Any]:
    summary = c.summary()
    return {
        "region": c.region.code,
        "region_name": c.region.name,
        "month": f"{c.month:%Y-%m}",
        "state": c.approved.status if c.approved else "computed",
        **summary,
        "lines": [
            {
                "application": x.application.pk,
                "person": x.application.person_id,
                "person_name": x.application.person.name,
                "kind": x.kind,
                "line": x.line,
                "for_month": f"{x.for_month:%Y-%m}",
                "level": x.level,
                "amount": f"{x.amount:.2f}",
                "change": x.change,
                "reason": x.reason,
            }
            for x in c.lines
        ],
    }


@router.get("/subsidies/rosters", response={200: RosterOut, 404: ErrorOut, 422: ErrorOut})
def roster(
    request: AuthedRequest, region: str = Query(..., max_length=20), month: str = Query("", max_length=7)
) -> Any:
    where = selectors.get_region_for_user(user=request.user, code_or_pk=region)
    return _roster_out(selectors.roster(user=request.user, region=where, month=_month(month)))


class ApproveIn(Schema):
    region: str = Field(..., max_length=20)
    month: str = Field(..., max_length=7)


@router.post("/subsidies/rosters", response={201: RosterOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def roster_approve(request: AuthedRequest, payload: ApproveIn) -> Any:
    where = selectors.get_region_for_user(user=request.user, code_or_pk=payload.region)
    month = parse_month(payload.month)
    services.roster_approve(acting_user=request.user, region=where, month=month)
    return Status(201, _roster_out(selectors.roster(user=request.user, region=where, month=month)))
