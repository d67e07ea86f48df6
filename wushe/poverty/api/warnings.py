"""Early warnings: list, run, confirm into a lead or dismiss with a reason."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import READ_REGISTRY, RECORD_OUTREACH
from wushe.core.api import ErrorOut, require
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest

from .. import selectors, services
from ..models import RiskWarning
from .common import router
from .monitoring import LeadOut, lead_out


class WarningOut(Schema):
    id: int
    household: int
    region: str
    rule: str
    reason: str
    raised_on: datetime.date
    status: str
    lead: int | None
    note: str


class ConfirmIn(Schema):
    kind: str = Field(..., max_length=10)
    risk_type: str = Field(..., max_length=12)
    note: str = Field("", max_length=300)


class DismissIn(Schema):
    note: str = Field(..., max_length=300)


class RunOut(Schema):
    task: str


def _warning_out(w: RiskWarning) -> dict[str, Any]:
    return {
        "id": w.pk,
        "household": w.household_id,
        "region": w.region.code,
        "rule": w.rule,
        "reason": w.reason,
        "raised_on": w.raised_on,
        "status": w.status,
        "lead": w.lead_id,
        "note": w.note,
    }


@router.get(
    "/monitoring/warnings",
    response={200: list[WarningOut], 422: ErrorOut},
    summary="Early warnings (返贫预警)",
)
@paginate(LimitOffsetPagination)
def warning_list(request: HttpRequest, status: str = Query("", max_length=10)) -> Any:
    require(request, READ_REGISTRY)
    return [_warning_out(w) for w in selectors.warnings_page(user=request.user, filters=status)]


@router.post("/monitoring/warnings/run", response={200: RunOut, 403: ErrorOut, 422: ErrorOut})
def warning_run(request: AuthedRequest) -> Any:
    """Run the early-warning rules now, in the background."""
    require(request, RECORD_OUTREACH)
    from ..tasks import run_early_warning

    result = run_early_warning.enqueue(requested_by=request.user.pk)
    return {"task": str(result.id)}


@router.post(
    "/monitoring/warnings/{warning_id}/confirm",
    response={201: LeadOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def warning_confirm(request: AuthedRequest, warning_id: int, payload: ConfirmIn) -> Any:
    require(request, RECORD_OUTREACH)
    warning = selectors.get_warning_for_user(request.user, warning_id)
    lead = services.warning_confirm(
        acting_user=request.user,
        warning=warning,
        kind=payload.kind,
        risk_type=payload.risk_type,
        note=payload.note,
    )
    return Status(201, lead_out(selectors.get_lead_for_user(request.user, lead.pk)))


@router.post(
    "/monitoring/warnings/{warning_id}/dismiss",
    response={200: WarningOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def warning_dismiss(request: AuthedRequest, warning_id: int, payload: DismissIn) -> Any:
    require(request, RECORD_OUTREACH)
    warning = selectors.get_warning_for_user(request.user, warning_id)
    return _warning_out(
        services.warning_dismiss(acting_user=request.user, warning=warning, note=payload.note)
    )
