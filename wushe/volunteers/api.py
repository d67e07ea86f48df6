"""Endpoints of volunteers and their hours: list, detail, register, log and verify hours."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wushe.accounts.roles import LOG_VOLUNTEER_HOURS
from wushe.core.api import Date, ErrorOut, Flag, Id, require
from wushe.core.pagination import LimitOffsetPagination
from wushe.registry.api import person_for

from . import selectors, services
from .models import ServiceRecord, Team, Volunteer

router = Router(tags=["volunteers"])


class VolunteerOut(Schema):
    id: int
    number: str = Field(description="the volunteer number (never an ID number)")
    name: str
    team: int = Field(alias="team_id")
    team_name: str
    region: str
    joined_on: datetime.date
    active: bool
    verified_hours: Decimal

    @staticmethod
    def resolve_team_name(obj: Volunteer) -> str:
        return obj.team.organization.name

    @staticmethod
    def resolve_region(obj: Volunteer) -> str:
        return obj.region.code

    @staticmethod
    def resolve_verified_hours(obj: Volunteer) -> Decimal:
        return getattr(obj, "verified_hours", None) or Decimal("0")


class RecordOut(Schema):
    id: int
    on: datetime.date
    hours: Decimal
    kind: str
    content: str
    status: str
    recipient: int | None = None  # the registered resident served
    warnings: list[str] = []  # e.g. the volunteer's day above the warning threshold

    @staticmethod
    def resolve_recipient(obj: ServiceRecord) -> int | None:
        return obj.recipient_id

    @staticmethod
    def resolve_warnings(obj: ServiceRecord) -> list[str]:
        return list(getattr(obj, "warnings", []))


class VolunteerDetailOut(Schema):
    id: int
    number: str
    name: str
    team: int
    team_name: str
    region: str
    joined_on: datetime.date
    active: bool
    verified_hours: Decimal
    pending_hours: Decimal
    records: list[RecordOut]


class VolunteerIn(Schema):
    team: Id
    name: str = Field(max_length=50)
    joined_on: Date
    skills: str = Field("", max_length=200)


class RecordIn(Schema):
    on: Date
    hours: Decimal = Field(gt=0, le=24, max_digits=4, decimal_places=1)
    kind: str = Field(max_length=12)
    content: str = Field(max_length=200)
    beneficiary: str = Field("", max_length=100)
    recipient: Id | None = Field(None, description="the registered resident served (a person id)")


class VerifyIn(Schema):
    approve: Flag
    note: str = Field("", max_length=200)


class VolunteerFilterIn(Schema):
    q: str = Field("", max_length=60)
    team: int | None = Field(None, ge=1, le=2**31 - 1)


def _detail(volunteer: Volunteer) -> dict[str, Any]:
    totals = selectors.volunteer_totals(volunteer)
    volunteer.verified_hours = totals["verified"]  # type: ignore[attr-defined]
    return {
        **{k: getattr(volunteer, k) for k in ("id", "number", "name", "joined_on", "active")},
        "team": volunteer.team_id,
        "team_name": volunteer.team.organization.name,
        "region": volunteer.region.code,
        "verified_hours": totals["verified"],
        "pending_hours": totals["pending"],
        "records": selectors.volunteer_records(volunteer),
    }


@router.get(
    "/volunteers",
    response={200: list[VolunteerOut], 422: ErrorOut},
    summary="Volunteers in the caller's scope",
)
@paginate(LimitOffsetPagination)
def list_volunteers(request: HttpRequest, filters: Query[VolunteerFilterIn]) -> Any:
    return selectors.volunteer_list(
        user=request.user, filters=selectors.VolunteerFilters(q=filters.q, team=filters.team)
    )


@router.post(
    "/volunteers",
    response={400: ErrorOut, 201: VolunteerDetailOut, 403: ErrorOut, 422: ErrorOut},
    summary="Register a volunteer",
)
def create_volunteer(request: HttpRequest, payload: VolunteerIn) -> Any:
    require(request, LOG_VOLUNTEER_HOURS)
    team = Team.objects.visible_to(request.user).filter(pk=payload.team).first()
    if team is None:
        raise ValidationError({"team": _("所选志愿服务队不存在或不在您的管辖范围内")})
    volunteer = services.volunteer_create(
        acting_user=request.user,
        team=team,
        name=payload.name,
        joined_on=payload.joined_on,
        skills=payload.skills,
    )
    return Status(201, _detail(selectors.get_volunteer_for_user(user=request.user, pk=volunteer.pk)))


@router.get(
    "/volunteers/{volunteer_id}",
    response={200: VolunteerDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One volunteer with hours",
)
def get_volunteer(request: HttpRequest, volunteer_id: int) -> Any:
    return _detail(selectors.get_volunteer_for_user(user=request.user, pk=volunteer_id))


@router.post(
    "/volunteers/{volunteer_id}/records",
    response={400: ErrorOut, 201: RecordOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Log service hours (by the volunteer or the team leader)",
)
def log_record(request: HttpRequest, volunteer_id: int, payload: RecordIn) -> Any:
    volunteer = selectors.get_volunteer_for_user(user=request.user, pk=volunteer_id)
    if volunteer.user_id != request.user.pk:
        require(request, LOG_VOLUNTEER_HOURS)
    data = payload.dict()
    recipient = person_for(request, data.pop("recipient"), "recipient")
    record = services.service_record_log(
        acting_user=request.user, volunteer=volunteer, recipient=recipient, **data
    )
    return Status(201, record)


@router.post(
    "/volunteers/records/{record_id}/verify",
    response={400: ErrorOut, 200: RecordOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The team leader verifies (or rejects) logged hours",
)
def verify_record(request: HttpRequest, record_id: int, payload: VerifyIn) -> Any:
    record = selectors.get_record_for_user(user=request.user, pk=record_id)
    return services.service_record_verify(
        acting_user=request.user, record=record, approve=payload.approve, note=payload.note
    )
