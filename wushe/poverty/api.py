"""Poverty-work endpoints: household checks, 防返贫监测 (objects, leads and their steps, measures,
monthly income, elimination, warnings) and a household's booklet and card as PDF. Scoped like
the pages; a refused write answers 422 naming the field. Money is an exact decimal string."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import READ_REGISTRY, RECORD_OUTREACH
from wushe.core.api import Date, ErrorOut, Flag, require
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.pdf import content_disposition
from wushe.core.web import AuthedRequest
from wushe.partners.models import ResponsibilityUnit
from wushe.registry.models import Person
from wushe.registry.selectors import get_household_for_user

from . import documents, selectors, services
from .models import HouseholdCheck, Lead, MonitoringObject, RiskWarning

router = Router(tags=["poverty"])


def yuan(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


class ItemOut(Schema):
    item: str
    label: str
    passed: bool
    finding: str
    need: int | None


class CheckOut(Schema):
    id: int
    household: int
    region: str
    checked_on: datetime.date
    members: int
    income: str
    income_per_person: str
    threshold: str
    housing_grade: str
    dibao_outcome: str
    dibao_reason: str
    items: list[ItemOut]


class ItemIn(Schema):
    passed: Flag = True
    finding: str = Field("", max_length=200)
    deadline: Date | None = None


class CheckIn(Schema):
    household: int = Field(..., ge=1, le=MAX_ID)
    income: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    checked_on: Date | None = None
    members: int | None = Field(None, ge=1, le=99)
    items: dict[str, ItemIn] = Field(default_factory=dict)
    housing_grade: str = Field("", max_length=1)
    hollow_house: Flag = False
    elderly_in_old_house: Flag = False
    serious_illness: Flag = False
    main_earner: int | None = Field(None, ge=1, le=MAX_ID)
    dibao_outcome: str = Field("", max_length=10)
    dibao_reason: str = Field("", max_length=200)
    note: str = Field("", max_length=300)
    unit: int | None = Field(None, ge=1, le=MAX_ID)


def _check_out(c: HouseholdCheck) -> dict[str, Any]:
    return {
        "id": c.pk,
        "household": c.household_id,
        "region": c.region.code,
        "checked_on": c.checked_on,
        "members": c.members,
        "income": yuan(c.income),
        "income_per_person": yuan(c.income_per_person),
        "threshold": yuan(c.threshold),
        "housing_grade": c.housing_grade,
        "dibao_outcome": c.dibao_outcome,
        "dibao_reason": c.dibao_reason,
        "items": [
            {
                "item": i.item,
                "label": str(i.get_item_display()),
                "passed": i.passed,
                "finding": i.finding,
                "need": i.need_id,
            }
            for i in c.items.all()
        ],
    }


@router.get(
    "/household-checks", response={200: list[CheckOut], 422: ErrorOut}, summary="Household checks (入户核查)"
)
@paginate(LimitOffsetPagination)
def check_list(request: HttpRequest, household: int | None = Query(None, ge=1, le=MAX_ID)) -> Any:
    require(request, READ_REGISTRY)
    return [_check_out(c) for c in selectors.checks_page(user=request.user, filters=household)]


@router.get("/household-checks/{check_id}", response={200: CheckOut, 404: ErrorOut, 422: ErrorOut})
def check_detail(request: HttpRequest, check_id: int) -> Any:
    require(request, READ_REGISTRY)
    return _check_out(selectors.get_check_for_user(request.user, check_id))


@router.post(
    "/household-checks", response={201: CheckOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def check_create(request: AuthedRequest, payload: CheckIn) -> Any:
    require(request, RECORD_OUTREACH)
    household = get_household_for_user(user=request.user, pk=payload.household)
    unit = None
    if payload.unit is not None:
        unit = ResponsibilityUnit.objects.filter(pk=payload.unit, active=True).first()
        if unit is None:
            raise ValidationError({"unit": _("责任单位不存在")})
    earner = None
    if payload.main_earner is not None:
        earner = Person.objects.filter(pk=payload.main_earner, household=household).first()
        if earner is None:
            raise ValidationError({"main_earner": _("主要劳动力须是本户成员")})
    items = {
        key: services.ItemInput(passed=i.passed, finding=i.finding, unit=unit, deadline=i.deadline)
        for key, i in payload.items.items()
    }
    check = services.household_check_record(
        acting_user=request.user,
        household=household,
        items=items,
        income=payload.income,
        checked_on=payload.checked_on,
        members=payload.members,
        housing_grade=payload.housing_grade,
        hollow_house=payload.hollow_house,
        elderly_in_old_house=payload.elderly_in_old_house,
        serious_illness=payload.serious_illness,
        main_earner=earner,
        dibao_outcome=payload.dibao_outcome,
        dibao_reason=payload.dibao_reason,
        note=payload.note,
        income_unit=unit,
    )
    return Status(201, _check_out(selectors.get_check_for_user(request.user, check.pk)))


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


def _lead_out(lead: Lead, with_steps: bool = True) -> dict[str, Any]:
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
        _lead_out(x)
        for x in selectors.leads_page(user=request.user, filters=overdue).prefetch_related("steps__by")
    ]


@router.get("/monitoring/leads/{lead_id}", response={200: LeadOut, 404: ErrorOut, 422: ErrorOut})
def lead_detail(request: HttpRequest, lead_id: int) -> Any:
    require(request, READ_REGISTRY)
    return _lead_out(selectors.get_lead_for_user(request.user, lead_id))


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
    return Status(201, _lead_out(selectors.get_lead_for_user(request.user, lead.pk)))


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
    return _lead_out(selectors.get_lead_for_user(request.user, lead_id))


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
    from .tasks import run_early_warning

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
    return Status(201, _lead_out(selectors.get_lead_for_user(request.user, lead.pk)))


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


# ---- 一户一册 and 一户一卡 ----------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/households/{household_id}/booklet.pdf",
    response={200: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The household's 一户一册 as PDF",
)
def booklet_pdf(request: HttpRequest, household_id: int) -> Any:
    require(request, READ_REGISTRY)
    household = get_household_for_user(user=request.user, pk=household_id)
    return _pdf(documents.booklet_pdf(household, request.user), f"一户一册-{household.pk}.pdf")


@router.get(
    "/households/{household_id}/card.pdf",
    response={200: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The household's 一户一卡 as PDF",
)
def card_pdf(request: HttpRequest, household_id: int) -> Any:
    require(request, READ_REGISTRY)
    household = get_household_for_user(user=request.user, pk=household_id)
    return _pdf(documents.card_pdf(household, request.user), f"一户一卡-{household.pk}.pdf")
