"""Visit endpoints: list, detail, and recording a visit with its needs and problems."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.core.api import ErrorOut, region_for
from wushe.core.dates import EventDate, bounded_date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.registry.selectors import get_household_for_user, get_person_for_user
from wushe.registry.subjects import subject_name

from . import editing, selectors, services
from .models import Visit

router = Router(tags=["visits"])


class VisitOut(Schema):
    id: int
    visited_on: datetime.date
    channel: str
    region: str
    household: int | None
    person: int | None
    subject_name: str = Field("", description="the person's name, else the household's (祝长连户)")
    reached: bool
    services_done: list[str]
    policies_explained: int
    leaflets: int
    mood: str
    key_problem: str

    @staticmethod
    def resolve_region(obj: Visit) -> str:
        return obj.region.code

    @staticmethod
    def resolve_household(obj: Visit) -> int | None:
        return obj.household_id

    @staticmethod
    def resolve_person(obj: Visit) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_subject_name(obj: Visit) -> str:
        return subject_name(obj)


class NeedIn(Schema):
    category: str = Field(max_length=30)
    description: str = Field(max_length=300)
    urgency: str = Field("normal", max_length=10)


class ProblemIn(Schema):
    description: str = Field(max_length=300)


class VisitIn(Schema):
    visited_on: EventDate
    household: int | None = Field(None, ge=1, le=MAX_ID)
    person: int | None = Field(None, ge=1, le=MAX_ID)
    channel: str = Field("home", max_length=10)
    volunteers: str = Field("", max_length=200)
    reached: bool = True
    not_reached_reason: str = Field("", max_length=200)
    services_done: list[str] = Field(default_factory=list, max_length=20)
    services_note: str = Field("", max_length=200)
    policies_explained: int = Field(0, ge=0, le=32767)  # the service applies the configured limit
    policies_note: str = Field("", max_length=200)
    leaflets: int = Field(0, ge=0, le=32767)  # the service applies the configured limit
    emotional_support: str = Field("", max_length=300)
    mood: str = Field("", max_length=12)
    key_problem: str = Field("", max_length=300)
    plan: str = Field("", max_length=300)
    resident_words: str = Field("", max_length=2000)
    needs: list[NeedIn] = Field(default_factory=list, max_length=20)
    problems: list[ProblemIn] = Field(default_factory=list, max_length=20)


def _subject(request: HttpRequest, household: int | None, person: int | None) -> tuple[Any, Any]:
    from django.http import Http404

    try:
        h = get_household_for_user(user=request.user, pk=household) if household else None
    except Http404:
        raise ValidationError({"household": _("户不存在或不在您的管辖范围内")}) from None
    try:
        p = get_person_for_user(user=request.user, pk=person) if person else None
    except Http404:
        raise ValidationError({"person": _("居民不存在或不在您的管辖范围内")}) from None
    return h, p


DAY = r"^(\d{4}-\d{2}-\d{2})?$"


def _day(value: str, field: str) -> datetime.date | None:
    """A YYYY-MM-DD query parameter (a string in the schema: pydantic would take 0 as a date)."""
    try:
        return bounded_date(value, field=field)  # and within 1900-01-01 … 2100-12-31
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


@router.get("/visits", response={200: list[VisitOut], 422: ErrorOut}, summary="Visits in scope")
@paginate(LimitOffsetPagination)
def visits(
    request: HttpRequest,
    region: str = Query("", max_length=15),
    start: str = Query("", pattern=DAY, description="first day, YYYY-MM-DD"),
    end: str = Query("", pattern=DAY, description="last day, YYYY-MM-DD"),
) -> Any:
    filters = selectors.VisitFilters(
        region=region_for(request, region) if region else None,
        start=_day(start, "start"),
        end=_day(end, "end"),
    )
    return selectors.visit_list(user=request.user, filters=filters)


@router.post(
    "/visits",
    response={201: VisitOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Record a visit (五门一声) with the needs and problems found",
)
def visit_create(request: AuthedRequest, payload: VisitIn) -> Any:
    household, person = _subject(request, payload.household, payload.person)
    data = payload.dict()
    data.pop("household"), data.pop("person")
    visit = services.visit_record(
        acting_user=request.user,
        data=services.VisitInput(household=household, person=person, **data),
    )
    return Status(201, selectors.get_visit_for_user(user=request.user, pk=visit.pk))


@router.get("/visits/{visit_id}", response={200: VisitOut, 404: ErrorOut, 422: ErrorOut})
def visit_detail(request: HttpRequest, visit_id: int) -> Any:
    return selectors.get_visit_for_user(user=request.user, pk=visit_id)


class VisitEditIn(Schema):
    """A visit's recorded fields, corrected: those given change, the others stay; ``reason`` is
    kept in the change history. The subject and the findings are not changed here."""

    reason: str = Field(max_length=100)
    visited_on: EventDate | None = None
    channel: str | None = Field(None, max_length=10)
    volunteers: str | None = Field(None, max_length=200)
    reached: bool | None = None
    not_reached_reason: str | None = Field(None, max_length=200)
    services_done: list[str] | None = Field(None, max_length=20)
    services_note: str | None = Field(None, max_length=200)
    policies_explained: int | None = Field(None, ge=0, le=32767)
    policies_note: str | None = Field(None, max_length=200)
    leaflets: int | None = Field(None, ge=0, le=32767)
    emotional_support: str | None = Field(None, max_length=300)
    mood: str | None = Field(None, max_length=12)
    key_problem: str | None = Field(None, max_length=300)
    plan: str | None = Field(None, max_length=300)
    resident_words: str | None = Field(None, max_length=2000)


@router.patch(
    "/visits/{visit_id}",
    response={400: ErrorOut, 200: VisitOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct a recorded visit (those who may record visits in its region)",
)
def visit_edit(request: HttpRequest, visit_id: int, payload: VisitEditIn) -> Any:
    visit = selectors.get_visit_for_user(user=request.user, pk=visit_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "reason" and v is not None}
    editing.visit_update(acting_user=request.user, visit=visit, reason=payload.reason, **changes)
    return selectors.get_visit_for_user(user=request.user, pk=visit_id)
