"""Visit endpoints: list, detail, and recording a visit with its needs and problems; the offline
page's own (``/offline/…``): what a worker's phone keeps, and the queue's items received once
each by their key, a need's status changed from an older copy answered 409 with both values."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.api import ErrorOut, region_for, require
from wushe.core.dates import EventDate, bounded_date
from wushe.core.pagination import MAX_OFFSET as MAX_ID
from wushe.core.pagination import LimitOffsetPagination
from wushe.core.web import AuthedRequest
from wushe.needs.models import NeedStatus
from wushe.needs.selectors import get_need_for_user
from wushe.needs.services import NeedChanged
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


# ---- the offline page (visits without a signal) ---------------------------------------------


class OfflineHouseholdOut(Schema):
    id: int
    region: str
    address: str
    head: str = Field(description="the head's name masked (王**)")
    last_visit: datetime.date | None


class StatusChoiceOut(Schema):
    value: str
    label: str


class OfflineNeedOut(Schema):
    id: int
    category: str
    description: str
    subject: str = Field(description="the person's (or the head's) name masked")
    status: str
    status_label: str
    version: int
    next: list[StatusChoiceOut]
    deadline: datetime.date


class OfflineDataOut(Schema):
    households: list[OfflineHouseholdOut]
    needs: list[OfflineNeedOut]


@router.get(
    "/offline/data",
    response={200: OfflineDataOut, 403: ErrorOut},
    summary="What a worker's phone keeps for visits without a signal (the least needed, masked)",
)
def offline_data(request: HttpRequest) -> Any:
    require(request, RECORD_OUTREACH)
    return {
        "households": selectors.offline_households(user=request.user),
        "needs": selectors.offline_needs(user=request.user),
    }


class OfflineVisitIn(VisitIn):
    key: uuid.UUID = Field(description="the idempotency key the browser made for this item")


class ReceivedOut(Schema):
    result: dict[str, Any]
    repeat: bool = Field(description="true: received before, nothing new written")


@router.post(
    "/offline/visits",
    response={200: ReceivedOut, 201: ReceivedOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="A visit recorded offline: created once per key (201), a repeat answers the first result (200)",
)
def offline_visit(request: AuthedRequest, payload: OfflineVisitIn) -> Any:
    household, person = _subject(request, payload.household, payload.person)
    data = payload.dict()
    key = data.pop("key")
    data.pop("household"), data.pop("person")
    received = services.offline_visit_record(
        acting_user=request.user,
        key=key,
        data=services.VisitInput(household=household, person=person, **data),
    )
    return Status(200 if received.repeat else 201, received)


class OfflineStatusIn(Schema):
    key: uuid.UUID
    to_status: str = Field(max_length=12)
    base_version: int = Field(ge=1, le=2**31 - 1, description="the need's version the worker's copy showed")
    base_status: str = Field(max_length=12, description="the status the worker's copy showed")
    note: str = Field("", max_length=300)
    unmet_reason: str = Field("", max_length=300)


class ConflictOut(Schema):
    field: str
    base: str = Field(description="the value the worker's copy showed")
    server: str = Field(description="the value on the server now")
    server_label: str
    yours: str = Field(description="the value the worker chose")
    version: int = Field(description="the server's version: resubmit with it to keep yours")


@router.post(
    "/offline/needs/{need_id}/status",
    response={200: ReceivedOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut},
    summary="A need's status changed offline; 409 with both values if it changed on the server since",
)
def offline_need_status(request: AuthedRequest, need_id: int, payload: OfflineStatusIn) -> Any:
    need = get_need_for_user(user=request.user, pk=need_id)
    try:
        received = services.offline_need_status(
            acting_user=request.user,
            key=payload.key,
            need=need,
            to_status=payload.to_status,
            base_version=payload.base_version,
            base_status=payload.base_status,
            note=payload.note,
            unmet_reason=payload.unmet_reason,
        )
    except NeedChanged as changed:
        return Status(
            409,
            {
                "field": changed.field,
                "base": changed.base,
                "server": changed.server,
                "server_label": str(NeedStatus(changed.server).label),
                "yours": payload.to_status,
                "version": changed.version,
            },
        )
    return Status(200, received)
