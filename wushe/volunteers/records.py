"""Writes of a volunteer's record beyond logging and verifying hours (``services.py``):
correcting hours, and the training, awards and evaluations the record also holds
(志愿服务记录与证明出具办法: personal data, service, training, awards, evaluations).

Hours still pending are edited in place, by who logged them, the volunteer or the team's
managers, with the change history naming who and why. Verified hours are never edited: the
team's leader corrects them with a reversing record (the same hours, negative, naming the record
it reverses — at most once) and, unless the hours are withdrawn, the corrected record, verified
by the same act. Every total (a volunteer's hours, a team's, the figures, a proof) sums the
verified records, so a correction nets out in the period of the record it corrects.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.core import checks
from wushe.core.checks import not_future
from wushe.core.history import actor, record_actor, record_reason, save_as

from .models import EntryKind, Grade, RecordStatus, ServiceKind, ServiceRecord, Volunteer, VolunteerEntry
from .services import _check_day, _hours, _may_manage, _own_record, leads

EDITABLE = ("on", "hours", "kind", "content", "beneficiary")


def _values(volunteer: Volunteer, *, on: Any, hours: Any, kind: str, content: str) -> tuple[Any, Decimal]:
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": _("请选择服务类型")})
    checks.text(content, "content", required=True, message=_("请填写服务内容"))
    not_future(on, "on")
    if on < volunteer.joined_on:
        raise ValidationError({"on": _("服务日期不能早于加入日期")})
    return on, _hours(hours)


def _reason(reason: str) -> str:
    return checks.text(reason, "reason", max_length=200, required=True, message=_("请填写更正原因"))


@transaction.atomic
def service_record_update(
    *,
    acting_user: Any,
    record: ServiceRecord,
    on: datetime.date,
    hours: Any,
    kind: str,
    content: str,
    beneficiary: str = "",
    reason: str = "",
) -> ServiceRecord:
    """Correct hours not yet verified: by who logged them, the volunteer, or the team's managers."""
    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("volunteer", "team")
        .get(pk=record.pk)
    )
    if acting_user is not None and not _own_record(acting_user, record, record.volunteer.user_id):
        _may_manage(acting_user, record.team)
    if record.status != RecordStatus.PENDING:
        raise ValidationError(
            {"status": _("只有待核实的记录可以修改；已核实的记录请由队长更正（冲销后重新记录）")}
        )
    on, hours = _values(record.volunteer, on=on, hours=hours, kind=kind, content=content)
    warnings = _check_day_without(record, on, hours)
    record.on, record.hours, record.kind = on, hours, kind
    record.content = content.strip()[:200]
    record.beneficiary = beneficiary.strip()[:100]
    record_actor(record, user=acting_user)
    record._change_reason = checks.text(reason, "reason", max_length=100)  # type: ignore[attr-defined]
    record.save(update_fields=list(EDITABLE))
    record.warnings = warnings
    return record


def _check_day_without(record: ServiceRecord, on: datetime.date, hours: Decimal) -> list[str]:
    """The daily limit for ``hours`` on ``on``, the record's own current hours left out."""
    own = record.hours if record.on == on else Decimal("0")
    return _check_day(record.volunteer, on, hours - own) if hours > own else []


@transaction.atomic
def service_record_correct(
    *,
    acting_user: Any,
    record: ServiceRecord,
    reason: str,
    withdraw: bool = False,
    on: datetime.date | None = None,
    hours: Any = None,
    kind: str | None = None,
    content: str | None = None,
    beneficiary: str | None = None,
    at: datetime.datetime | None = None,
) -> tuple[ServiceRecord, ServiceRecord | None]:
    """Correct verified hours (the team leader): append the reversing record and, unless
    ``withdraw``, the corrected record (the original's values where none is given), verified.
    Returns (reversal, corrected record or ``None``)."""
    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("volunteer", "team")
        .get(pk=record.pk)
    )
    if not leads(acting_user, record.team):
        raise PermissionDenied(_("只有本队队长可以更正已核实的服务时长"))
    if record.status != RecordStatus.VERIFIED or record.is_reversal:
        raise ValidationError({"status": _("只有已核实的服务记录可以更正")})
    if ServiceRecord.objects.filter(corrects=record).exists():
        raise ValidationError({"status": _("该记录已经更正过（已冲销）")})
    reason = _reason(reason)
    when = checks.moment(at)
    who = actor(acting_user)
    reversal = ServiceRecord(
        volunteer=record.volunteer,
        team=record.team,
        region=record.region,
        on=record.on,  # nets out in the period the original counted in
        hours=-record.hours,
        kind=record.kind,
        content=(_("冲销：%(reason)s") % {"reason": reason})[:200],
        beneficiary=record.beneficiary,
        activity=record.activity,
        status=RecordStatus.VERIFIED,
        logged_by=who,
        verified_by=who,
        verified_at=when,
        verify_note=reason,
        corrects=record,
    )
    reversal.full_clean()
    save_as(reversal, user=acting_user)
    if withdraw:
        return reversal, None
    day, new_hours = _values(
        record.volunteer,
        on=on or record.on,
        hours=record.hours if hours is None else hours,
        kind=kind or record.kind,
        content=record.content if content is None else content,
    )
    _check_day(record.volunteer, day, new_hours)
    corrected = ServiceRecord(
        volunteer=record.volunteer,
        team=record.team,
        region=record.region,
        on=day,
        hours=new_hours,
        kind=kind or record.kind,
        content=(record.content if content is None else content).strip()[:200],
        beneficiary=(record.beneficiary if beneficiary is None else beneficiary).strip()[:100],
        activity=record.activity,
        status=RecordStatus.VERIFIED,
        logged_by=who,
        verified_by=who,
        verified_at=when,
        verify_note=(_("更正：%(reason)s") % {"reason": reason})[:200],
    )
    corrected.full_clean()
    save_as(corrected, user=acting_user)
    return reversal, corrected


# ---- training, awards, evaluations ----------------------------------------------------------


def _entry_hours(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("请填写培训时长（小时），如 2.5")}) from None
    if hours <= 0 or hours > 1000:
        raise ValidationError({"hours": _("培训时长应大于0且不超过1000小时")})
    return hours


@transaction.atomic
def volunteer_entry_add(
    *,
    acting_user: Any,
    volunteer: Volunteer,
    kind: str,
    on: datetime.date,
    title: str,
    issuer: str = "",
    hours: Any = None,
    grade: str = "",
    note: str = "",
) -> VolunteerEntry:
    """A training attended, an award received or an evaluation, on the volunteer's record (the
    team's leader or the region's workers with the capability)."""
    _may_manage(acting_user, volunteer.team)
    if kind not in EntryKind.values:
        raise ValidationError({"kind": _("请选择类别：培训、表彰奖励或评价")})
    not_future(on, "on")
    title = checks.text(title, "title", max_length=100, required=True, message=_("请填写名称"))
    training_hours = _entry_hours(hours) if kind == EntryKind.TRAINING else None
    if kind == EntryKind.EVALUATION and grade not in Grade.values:
        raise ValidationError({"grade": _("评价请选择等次")})
    entry = VolunteerEntry(
        volunteer=volunteer,
        team=volunteer.team,
        region=volunteer.region,
        kind=kind,
        on=on,
        title=title,
        issuer=checks.text(issuer, "issuer", max_length=100),
        hours=training_hours,
        grade=grade if kind == EntryKind.EVALUATION else "",
        note=checks.text(note, "note", max_length=300),
        recorded_by=actor(acting_user),
    )
    entry.full_clean()
    return save_as(entry, user=acting_user)


ENTRY_FIELDS = ("kind", "on", "title", "issuer", "hours", "grade", "note")


@transaction.atomic
def volunteer_entry_update(
    *, acting_user: Any, entry: VolunteerEntry, reason: str, **changes: Any
) -> VolunteerEntry:
    """Correct a training, award or evaluation on the volunteer's record: those of
    ``ENTRY_FIELDS`` given change, checked as when it was added (a training's hours, an
    evaluation's grade; the other kinds keep neither). Who may add it may correct it; the change
    history names who and why (the reason is required)."""
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("该字段不可修改")})
    entry = VolunteerEntry.objects.select_for_update(of=("self",)).select_related("team").get(pk=entry.pk)
    _may_manage(acting_user, entry.team)
    reason = checks.text(reason, "reason", max_length=100, required=True, message=_("请填写修改说明"))
    kind = changes.get("kind", entry.kind)
    if kind not in EntryKind.values:
        raise ValidationError({"kind": _("请选择类别：培训、表彰奖励或评价")})
    if "on" in changes:
        not_future(changes["on"], "on")
        entry.on = changes["on"]
    if "title" in changes:
        entry.title = checks.text(
            changes["title"], "title", max_length=100, required=True, message=_("请填写名称")
        )
    if "issuer" in changes:
        entry.issuer = checks.text(changes["issuer"], "issuer", max_length=100)
    if "note" in changes:
        entry.note = checks.text(changes["note"], "note", max_length=300)
    hours = changes.get("hours", entry.hours)
    entry.hours = _entry_hours(hours) if kind == EntryKind.TRAINING else None
    grade = changes.get("grade", entry.grade)
    if kind == EntryKind.EVALUATION and grade not in Grade.values:
        raise ValidationError({"grade": _("评价请选择等次")})
    entry.grade = grade if kind == EntryKind.EVALUATION else ""
    entry.kind = kind
    entry.full_clean()
    record_actor(entry, user=acting_user)
    record_reason(entry, reason=reason)
    entry.save(update_fields=list(ENTRY_FIELDS))
    return entry


def may_manage_entries(user: Any, team: Any) -> bool:
    """Whether the user may add to and correct the training, awards and evaluations of the
    team's volunteers (the team's managers)."""
    try:
        _may_manage(user, team)
    except (PermissionDenied, ValidationError):
        return False
    return True


def may_edit_entry(user: Any, entry: VolunteerEntry) -> bool:
    """Whether the page offers to correct the entry."""
    return may_manage_entries(user, entry.team)


def may_correct(user: Any, record: ServiceRecord) -> bool:
    """Whether the page offers to edit (pending) or correct (verified) the record."""
    if record.is_reversal or hasattr(record, "reversal"):  # the list reads it with select_related
        return False
    if record.status == RecordStatus.VERIFIED:
        return leads(user, record.team)
    if record.status != RecordStatus.PENDING:
        return False
    if _own_record(user, record, record.volunteer.user_id):
        return True
    try:
        _may_manage(user, record.team)
    except (PermissionDenied, ValidationError):
        return False
    return True
