"""政策找人 endpoints: the catalogue (a POST needs only ``name`` and ``rule``; a rule that does not
parse is a 422 naming ``rule``), a policy's 应享未享 list with the facts, and the policies put into
effect (list, record, revoke), scoped like the pages."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from wushe.accounts.roles import READ_REGISTRY
from wushe.core.api import ErrorOut
from wushe.core.checks import today
from wushe.core.dates import Date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.permissions import require_perm
from wushe.core.web import AuthedRequest
from wushe.registry.models import Person
from wushe.registry.subjects import Subject

from . import engine, selectors, services
from .models import Department, Policy, PolicyApplication, PolicyMatch, PolicyRun

router = Router(tags=["policies"])


class PolicyOut(Schema):
    id: int
    name: str
    department: str
    department_name: str
    benefit: str
    legal_basis: str
    how_to_apply: str
    rule: str
    receipt_tag: str
    active: bool
    prefilters: list[str]


class PolicyIn(Schema):
    name: str = Field(..., max_length=100)
    rule: str = Field(..., max_length=4000)
    department: str = Field(Department.OTHER, max_length=12)
    benefit: str = Field("", max_length=200)
    legal_basis: str = Field("", max_length=4000)
    how_to_apply: str = Field("", max_length=4000)
    receipt_tag: str = Field("", max_length=40)
    active: bool = True
    sort: int = Field(0, ge=0, le=32767)


class PolicyPatch(Schema):
    name: str | None = Field(None, max_length=100)
    rule: str | None = Field(None, max_length=4000)
    department: str | None = Field(None, max_length=12)
    benefit: str | None = Field(None, max_length=200)
    legal_basis: str | None = Field(None, max_length=4000)
    how_to_apply: str | None = Field(None, max_length=4000)
    receipt_tag: str | None = Field(None, max_length=40)
    active: bool | None = None
    sort: int | None = Field(None, ge=0, le=32767)


def _policy_out(p: Policy) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "department": p.department,
        "department_name": str(p.get_department_display()),
        "benefit": p.benefit,
        "legal_basis": p.legal_basis,
        "how_to_apply": p.how_to_apply,
        "rule": p.rule,
        "receipt_tag": p.receipt_tag,
        "active": p.active,
        "prefilters": [engine.describe(t) for t in engine.terms(p.rule)],
    }


class MatchOut(Schema):
    person: int
    name: str
    region: str
    region_name: str
    household: int | None
    facts: dict[str, Any]


def _match_out(m: PolicyMatch) -> dict[str, Any]:
    return {
        "person": m.person_id,
        "name": m.person.name,
        "region": m.region.code,
        "region_name": m.region.name,
        "household": m.household_id,
        "facts": engine.facts_from_json(m.facts),
    }


class ApplicationOut(Schema):
    id: int
    policy: int
    policy_name: str
    person: int
    name: str
    region: str
    applied_on: datetime.date
    benefit: str
    amount: str | None
    applied_by: str
    revoked: bool
    revoke_reason: str


def _application_out(a: PolicyApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "policy": a.policy_id,
        "policy_name": a.policy.name,
        "person": a.person_id,
        "name": a.person.name,
        "region": a.region.code,
        "applied_on": a.applied_on,
        "benefit": a.benefit,
        "amount": f"{Decimal(a.amount):.2f}" if a.amount is not None else None,
        "applied_by": str(a.applied_by) if a.applied_by else "",
        "revoked": a.revoked_at is not None,
        "revoke_reason": a.revoke_reason,
    }


class ApplicationIn(Schema):
    policy: int = Field(..., ge=1, le=MAX_ID)
    person: int = Field(..., ge=1, le=MAX_ID)
    applied_on: Date | None = None
    benefit: str = Field("", max_length=200)
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=200)


class RevokeIn(Schema):
    reason: str = Field(..., max_length=200)


class RunOut(Schema):
    id: int
    policy: int | None
    as_of: datetime.date
    status: str
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    message: str


def _run_out(r: PolicyRun) -> dict[str, Any]:
    return {
        "id": r.pk,
        "policy": r.policy_id,
        "as_of": r.as_of,
        "status": r.status,
        "requested_at": r.requested_at,
        "finished_at": r.finished_at,
        "message": r.message,
    }


class RunIn(Schema):
    policy: int | None = Field(None, ge=1, le=MAX_ID)


@router.get(
    "/policies", response={200: list[PolicyOut], 422: ErrorOut}, summary="The policy catalogue (政策目录)"
)
@paginate(LimitOffsetPagination)
def policies(request: HttpRequest) -> Any:
    return [_policy_out(p) for p in selectors.policy_list()]


@router.post("/policies", response={201: PolicyOut, 403: ErrorOut, 422: ErrorOut}, summary="Add a policy")
def policy_create(request: AuthedRequest, payload: PolicyIn) -> Any:
    policy = services.policy_save(acting_user=request.user, data=payload.dict(), request=request)
    return 201, _policy_out(policy)


@router.post("/policies/runs", response={201: RunOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def run_create(request: AuthedRequest, payload: RunIn) -> Any:
    policy = selectors.get_policy(payload.policy) if payload.policy else None
    return 201, _run_out(services.run_request(acting_user=request.user, policy=policy))


@router.get("/policies/runs/{run_id}", response={200: RunOut, 404: ErrorOut, 422: ErrorOut})
def run_detail(request: HttpRequest, run_id: int) -> Any:
    run = PolicyRun.objects.filter(pk=run_id).first()
    if run is None:
        from django.http import Http404

        raise Http404
    return _run_out(run)


@router.get("/policies/{policy_id}", response={200: PolicyOut, 404: ErrorOut, 422: ErrorOut})
def policy_detail(request: HttpRequest, policy_id: int) -> Any:
    return _policy_out(selectors.get_policy(policy_id))


@router.patch("/policies/{policy_id}", response={200: PolicyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def policy_update(request: AuthedRequest, policy_id: int, payload: PolicyPatch) -> Any:
    policy = selectors.get_policy(policy_id)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    return _policy_out(
        services.policy_save(acting_user=request.user, data=data, policy=policy, request=request)
    )


@router.get(
    "/policies/{policy_id}/unreached",
    response={200: list[MatchOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="People who qualify and do not receive the policy (应享未享), as of its last run",
)
@paginate(LimitOffsetPagination)
def policy_unreached(request: HttpRequest, policy_id: int) -> Any:
    require_perm(request.user, READ_REGISTRY)
    policy = selectors.get_policy(policy_id)
    return [_match_out(m) for m in selectors.unreached(user=request.user, policy=policy)]


@router.get(
    "/policies/{policy_id}/receiving",
    response={200: list[MatchOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="People who qualify and receive the policy",
)
@paginate(LimitOffsetPagination)
def policy_receiving(request: HttpRequest, policy_id: int) -> Any:
    require_perm(request.user, READ_REGISTRY)
    policy = selectors.get_policy(policy_id)
    return [_match_out(m) for m in selectors.reached(user=request.user, policy=policy)]


@router.get("/policy-applications", response={200: list[ApplicationOut], 403: ErrorOut, 422: ErrorOut})
@paginate(LimitOffsetPagination)
def applications(
    request: HttpRequest,
    policy: int | None = Query(None, ge=1, le=MAX_ID),
    person: int | None = Query(None, ge=1, le=MAX_ID),
    household: int | None = Query(None, ge=1, le=MAX_ID),
    start: Date | None = Query(None, alias="from"),
    end: Date | None = Query(None, alias="to"),
) -> Any:
    require_perm(request.user, READ_REGISTRY)
    filters = selectors.ApplicationFilters(
        policy=policy, start=start, end=end, subject=Subject(person=person, household=household)
    )
    return [_application_out(a) for a in selectors.application_list(user=request.user, filters=filters)]


@router.post(
    "/policy-applications",
    response={201: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a policy put into effect for a person (落实)",
)
def application_create(request: AuthedRequest, payload: ApplicationIn) -> Any:
    policy = Policy.objects.filter(pk=payload.policy).first()
    if policy is None:
        raise ValidationError({"policy": _("没有该政策")})
    person = Person.objects.visible_to(request.user).filter(pk=payload.person).first()
    if person is None:
        raise ValidationError({"person": _("所选对象不存在或不在您的管辖范围内")})
    a = services.application_record(
        acting_user=request.user,
        policy=policy,
        person=person,
        applied_on=payload.applied_on or today(),
        benefit=payload.benefit,
        amount=payload.amount,
        note=payload.note,
    )
    return 201, _application_out(selectors.get_application_for_user(request.user, a.pk))


@router.post(
    "/policy-applications/{application_id}/revoke",
    response={200: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def application_revoke(request: AuthedRequest, application_id: int, payload: RevokeIn) -> Any:
    a = selectors.get_application_for_user(request.user, application_id)
    services.application_revoke(acting_user=request.user, application=a, reason=payload.reason)
    return _application_out(selectors.get_application_for_user(request.user, application_id))


class PolicyApplicationIn(Schema):
    person: int = Field(..., ge=1, le=MAX_ID)
    applied_on: Date | None = None
    benefit: str = Field("", max_length=200)
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=200)


@router.get(
    "/policies/{policy_id}/applications",
    response={200: list[ApplicationOut], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
@paginate(LimitOffsetPagination)
def policy_applications(request: HttpRequest, policy_id: int) -> Any:
    require_perm(request.user, READ_REGISTRY)
    policy = selectors.get_policy(policy_id)
    filters = selectors.ApplicationFilters(policy=policy.pk)
    return [_application_out(a) for a in selectors.application_list(user=request.user, filters=filters)]


@router.post(
    "/policies/{policy_id}/applications",
    response={201: ApplicationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record this policy put into effect for a person (落实)",
)
def policy_application_create(request: AuthedRequest, policy_id: int, payload: PolicyApplicationIn) -> Any:
    policy = selectors.get_policy(policy_id)
    return application_create(request, ApplicationIn(policy=policy.pk, **payload.dict()))
