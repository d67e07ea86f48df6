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
from wushe.core.web import AuthedRequest
from wushe.registry.api import person_for

from . import records, selectors, services
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


class EntryOut(Schema):
    id: int
    kind: str
    on: datetime.date
    title: str
    issuer: str
    hours: Decimal | None
    grade: str
    note: str


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
    entries: list[EntryOut] = Field(description="training, awards and evaluations, latest first")


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
    return {
        **{k: getattr(volunteer, k) for k in ("id", "number", "name", "joined_on", "active")},
        "team": volunteer.team_id,
        "team_name": volunteer.team.organization.name,
        "region": volunteer.region.code,
        "verified_hours": totals["verified"],
        "pending_hours": totals["pending"],
        "records": selectors.volunteer_records(volunteer),
        "entries": sorted(
            (e for group in selectors.volunteer_entries(volunteer).values() for e in group),
            key=lambda e: (e.on, e.pk),
            reverse=True,
        ),
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
def create_volunteer(request: AuthedRequest, payload: VolunteerIn) -> Any:
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
def log_record(request: AuthedRequest, volunteer_id: int, payload: RecordIn) -> Any:
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
def verify_record(request: AuthedRequest, record_id: int, payload: VerifyIn) -> Any:
    record = selectors.get_record_for_user(user=request.user, pk=record_id)
    return services.service_record_verify(
        acting_user=request.user, record=record, approve=payload.approve, note=payload.note
    )


# ---- corrections and the record's training, awards, evaluations (volunteers.records) ---------


class RecordEditIn(Schema):
    """Hours not yet verified, corrected in place: the fields given change, the others stay."""

    on: Date | None = None
    hours: Decimal | None = Field(None, gt=0, le=24, max_digits=4, decimal_places=1)
    kind: str | None = Field(None, max_length=12)
    content: str | None = Field(None, max_length=200)
    beneficiary: str | None = Field(None, max_length=100)
    reason: str = Field("", max_length=100)


class CorrectIn(RecordEditIn):
    """Verified hours corrected by the team leader: the reversing record and, unless
    ``withdraw``, the corrected record (the original's values where none is given)."""

    reason: str = Field(max_length=200)
    withdraw: Flag = False


class CorrectionOut(Schema):
    reversal: RecordOut
    corrected: RecordOut | None


class EntryIn(Schema):
    kind: str = Field(max_length=12, description="training, award or evaluation")
    on: Date
    title: str = Field(max_length=100)
    issuer: str = Field("", max_length=100)
    hours: Decimal | None = Field(None, gt=0, le=1000, max_digits=5, decimal_places=1)
    grade: str = Field("", max_length=10, description="evaluation: excellent, good, pass or fail")
    note: str = Field("", max_length=300)


@router.patch(
    "/volunteers/records/{record_id}",
    response={400: ErrorOut, 200: RecordOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct hours not yet verified (who logged them, the volunteer, the team's managers)",
)
def edit_record(request: HttpRequest, record_id: int, payload: RecordEditIn) -> Any:
    record = selectors.get_record_for_user(user=request.user, pk=record_id)
    given = payload.dict(exclude_unset=True)
    values = {f: given[f] if given.get(f) is not None else getattr(record, f) for f in records.EDITABLE}
    return records.service_record_update(
        acting_user=request.user, record=record, reason=payload.reason, **values
    )


@router.post(
    "/volunteers/records/{record_id}/correct",
    response={400: ErrorOut, 201: CorrectionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct verified hours: a reversing record, never an edit (the team leader)",
)
def correct_record(request: HttpRequest, record_id: int, payload: CorrectIn) -> Any:
    record = selectors.get_record_for_user(user=request.user, pk=record_id)
    given = {f: v for f, v in payload.dict(exclude_unset=True).items() if f in records.EDITABLE}
    reversal, corrected = records.service_record_correct(
        acting_user=request.user, record=record, reason=payload.reason, withdraw=payload.withdraw, **given
    )
    return Status(201, {"reversal": reversal, "corrected": corrected})


@router.post(
    "/volunteers/{volunteer_id}/entries",
    response={400: ErrorOut, 201: EntryOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a training, an award or an evaluation to the volunteer's record",
)
def add_entry(request: HttpRequest, volunteer_id: int, payload: EntryIn) -> Any:
    volunteer = selectors.get_volunteer_for_user(user=request.user, pk=volunteer_id)
    require(request, LOG_VOLUNTEER_HOURS)
    entry = records.volunteer_entry_add(acting_user=request.user, volunteer=volunteer, **payload.dict())
    return Status(201, entry)


class EntryEditIn(Schema):
    """A training, an award or an evaluation corrected (those given change), with the reason."""

    reason: str = Field(max_length=100)
    kind: str | None = Field(None, max_length=12, description="training, award or evaluation")
    on: Date | None = None
    title: str | None = Field(None, max_length=100)
    issuer: str | None = Field(None, max_length=100)
    hours: Decimal | None = Field(None, gt=0, le=1000, max_digits=5, decimal_places=1)
    grade: str | None = Field(None, max_length=10, description="evaluation: excellent, good, pass or fail")
    note: str | None = Field(None, max_length=300)


@router.patch(
    "/volunteers/entries/{entry_id}",
    response={400: ErrorOut, 200: EntryOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Correct a training, an award or an evaluation on a volunteer's record (with the reason)",
)
def edit_entry(request: HttpRequest, entry_id: int, payload: EntryEditIn) -> Any:
    entry = selectors.get_entry_for_user(user=request.user, pk=entry_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "reason"}
    for key, value in changes.items():
        if value is None and key not in ("hours",):
            raise ValidationError({key: _("不能为空")})
    return records.volunteer_entry_update(
        acting_user=request.user, entry=entry, reason=payload.reason, **changes
    )
