"""Every write of volunteer teams, volunteers, service records and proofs goes through here."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import LOG_VOLUNTEER_HOURS, Role
from wushe.accounts.services import role_grant
from wushe.casework.models import Activity
from wushe.core import checks
from wushe.core.checks import next_number, not_future, require_visible
from wushe.core.history import actor, record_actor
from wushe.core.permissions import require_region_in_scope
from wushe.partners.models import Organization, OrganizationKind
from wushe.registry.identity import normalise_name
from wushe.registry.models import Person

from .models import Proof, RecordStatus, ServiceKind, ServiceRecord, Team, Volunteer

MAX_HOURS = Decimal("24")


# ---- teams ----------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    acting_user: User | None,
    organization: Organization,
    sponsor: Organization | None = None,
    leader: User | None = None,
    leader_name: str = "",
) -> Team:
    """The team profile of an organization of kind 志愿服务队; a leader account is granted
    志愿服务队队长 on the organization, so it sees this team and nothing else."""
    if organization.kind != OrganizationKind.VOLUNTEER_TEAM:
        raise ValidationError({"organization": _("志愿服务队须是“志愿服务队”类型的组织")})
    if acting_user is not None:
        require_region_in_scope(acting_user, organization.region, field="organization")
    if Team.objects.filter(organization=organization).exists():
        raise ValidationError({"organization": _("该组织已建立志愿服务队档案")})
    if sponsor is not None and sponsor.kind in (OrganizationKind.VOLUNTEER_TEAM, OrganizationKind.STUDIO):
        raise ValidationError({"sponsor": _("依托组织应是社会组织、企业或单位")})
    team = Team(
        organization=organization,
        region=organization.region,
        sponsor=sponsor,
        leader=leader,
        leader_name=(leader_name or (str(leader) if leader else "")).strip(),
        code=f"ZYD{organization.pk:07d}",
    )
    record_actor(team, user=acting_user)
    team.full_clean()
    team.save()
    if leader is not None:
        role_grant(
            user=leader, role=Role.TEAM_LEADER, organization=organization, acting_user=actor(acting_user)
        )
    return team


def team_get_or_create(
    *,
    acting_user: User | None,
    organization: Organization,
    sponsor: Organization | None = None,
    leader: User | None = None,
    leader_name: str = "",
) -> Team:
    """Idempotent variant for the demo: the organization's team, or a new one."""
    existing = Team.objects.filter(organization=organization).first()
    return existing or team_create(
        acting_user=acting_user,
        organization=organization,
        sponsor=sponsor,
        leader=leader,
        leader_name=leader_name,
    )


def leads(user: User | None, team: Team) -> bool:
    """The user is this team's leader (granted 志愿服务队队长 on its organization)."""
    if user is None or getattr(user, "is_superuser", False):
        return True
    return RoleGrant.objects.filter(
        user_id=user.pk, role=Role.TEAM_LEADER, organization_id=team.organization_id
    ).exists()


def _may_manage(user: User | None, team: Team) -> None:
    """Leaders of the team and the region roles with the capability manage its volunteers."""
    if user is None:
        return
    if not user.has_perm(LOG_VOLUNTEER_HOURS):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    require_visible(user, team, "team")


# ---- volunteers -----------------------------------------------------------------------------


def _volunteer(team: Team, name: str, joined_on: datetime.date, number: str, **extra: Any) -> Volunteer:
    name = checks.text(normalise_name(name), "name", required=True, message=_("请填写志愿者姓名"))
    if len(name) > 50:
        raise ValidationError({"name": _("姓名不能超过50个字")})
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("日期不能晚于今天")})
    return Volunteer(team=team, region=team.region, name=name, joined_on=joined_on, number=number, **extra)


@transaction.atomic
def volunteer_create(
    *,
    acting_user: User | None,
    team: Team,
    name: str,
    joined_on: datetime.date,
    person: Person | None = None,
    user: User | None = None,
    skills: str = "",
) -> Volunteer:
    """A volunteer gets a volunteer number (``ZY<year>-<serial>``), shown instead of any ID number."""
    _may_manage(acting_user, team)
    if person is not None:
        require_visible(acting_user, person, "person")
    volunteer = _volunteer(
        team,
        name,
        joined_on,
        next_number(Volunteer, f"ZY{joined_on.year}-", width=6),
        person=person,
        user=user,
        skills=skills.strip()[:200],
    )
    volunteer.full_clean()
    volunteer.save()
    return volunteer


@dataclass(frozen=True)
class VolunteerRow:
    name: str
    joined_on: datetime.date
    skills: str = ""


@transaction.atomic
def volunteer_bulk_create(*, acting_user: User | None, team: Team, rows: Sequence[VolunteerRow]) -> int:
    """Many volunteers of one team at once (a roster import, the demo), with the same checks as
    :func:`volunteer_create`; all or nothing. Numbers are given in one pass per year."""
    _may_manage(acting_user, team)
    prepared: list[Volunteer] = []
    serial: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for i, row in enumerate(rows, start=1):
        year = row.joined_on.year
        if year not in serial:
            last = next_number(Volunteer, f"ZY{year}-", width=6)
            serial[year] = int(last.rsplit("-", 1)[1]) - 1
        serial[year] += 1
        try:
            prepared.append(
                _volunteer(
                    team, row.name, row.joined_on, f"ZY{year}-{serial[year]:06d}", skills=row.skills[:200]
                )
            )
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                errors.setdefault(field, []).extend(f"{_('第%(n)s行') % {'n': i}}：{m}" for m in msgs)
    if errors:
        raise ValidationError(errors)
    Volunteer.objects.bulk_create(prepared, batch_size=500)
    return len(prepared)


# ---- service records ------------------------------------------------------------------------


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": _("请填写服务时长（小时），如 2.5")}) from None
    if hours <= 0 or hours > MAX_HOURS:
        raise ValidationError({"hours": _("一次服务时长应大于0且不超过24小时")})
    return hours


def day_limits() -> tuple[Decimal, Decimal]:
    """(maximum, warning threshold) of a volunteer's hours in one day (settings)."""
    return (
        Decimal(str(settings.WUSHE_VOLUNTEER_DAY_MAX_HOURS)),
        Decimal(str(settings.WUSHE_VOLUNTEER_DAY_WARN_HOURS)),
    )


def day_hours(volunteer_id: int, on: datetime.date, *, exclude: Sequence[int] = ()) -> Decimal:
    """The hours of a volunteer's records of one day that count (pending and verified: a
    rejected record does not)."""
    total = (
        ServiceRecord.objects.filter(volunteer_id=volunteer_id, on=on)
        .exclude(status=RecordStatus.REJECTED)
        .exclude(pk__in=list(exclude))
        .aggregate(h=Sum("hours"))["h"]
    )
    return total or Decimal("0")


def _check_day(volunteer: Volunteer, on: datetime.date, hours: Decimal) -> list[str]:
    """Refuse a record that takes the volunteer's day above the maximum; warn above the threshold."""
    maximum, warn = day_limits()
    have = day_hours(volunteer.pk, on)
    if have + hours > maximum:
        raise ValidationError(
            {
                "hours": _(
                    "服务时长：%(name)s在%(day)s已登记%(have)s小时，加上本次%(hours)s小时超过每人每日%(max)s小时的上限"
                )
                % {
                    "name": volunteer.name,
                    "day": on.isoformat(),
                    "have": have,
                    "hours": hours,
                    "max": maximum,
                }
            }
        )
    if have + hours > warn:
        return [
            _("请核对：%(name)s在%(day)s的服务时长合计%(total)s小时，超过%(warn)s小时")
            % {"name": volunteer.name, "day": on.isoformat(), "total": have + hours, "warn": warn}
        ]
    return []


@transaction.atomic
def service_record_log(
    *,
    acting_user: User | None,
    volunteer: Volunteer,
    on: datetime.date,
    hours: Any,
    kind: str,
    content: str,
    beneficiary: str = "",
    activity: Activity | None = None,
    recipient: Person | None = None,
) -> ServiceRecord:
    """Hours logged by the volunteer (their own account) or the team leader / a worker; they
    count once the leader verifies them. ``recipient``: the registered resident served (one the
    acting user may see), named as the beneficiary when none is written."""
    if acting_user is not None and not (volunteer.user_id and volunteer.user_id == acting_user.pk):
        _may_manage(acting_user, volunteer.team)
    if recipient is not None:
        require_visible(acting_user, recipient, "recipient")
        beneficiary = beneficiary or recipient.name
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": _("请选择服务类型")})
    content = checks.text(content, "content", required=True, message=_("请填写服务内容"))
    not_future(on, "on")
    if on < volunteer.joined_on:
        raise ValidationError({"on": _("服务日期不能早于加入日期")})
    hours = _hours(hours)
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).exists()  # one writer per volunteer
    warnings = _check_day(volunteer, on, hours)
    record = ServiceRecord(
        volunteer=volunteer,
        team=volunteer.team,
        region=volunteer.region,
        on=on,
        hours=hours,
        kind=kind,
        content=content[:200],
        beneficiary=beneficiary.strip()[:100],
        activity=activity,
        recipient=recipient,
        logged_by=actor(acting_user),
    )
    record.full_clean()
    record.save()
    record.warnings = warnings  # shown by the page and the API
    return record


def _own_record(user: User | None, record: ServiceRecord, volunteer_user_id: int | None) -> bool:
    """The user logged these hours, or they are the user's own hours."""
    pk = getattr(actor(user), "pk", None)
    return pk is not None and pk in (record.logged_by_id, volunteer_user_id)


def _over_day(record: ServiceRecord) -> bool:
    return day_hours(record.volunteer_id, record.on) > day_limits()[0]


@transaction.atomic
def service_record_verify(
    *,
    acting_user: User | None,
    record: ServiceRecord,
    approve: bool,
    note: str = "",
    at: datetime.datetime | None = None,
) -> ServiceRecord:
    """The team leader verifies (or rejects, with a reason) a logged record."""
    if not leads(acting_user, record.team):
        raise PermissionDenied(_("只有本队队长可以核实服务时长"))
    if record.status != RecordStatus.PENDING:
        raise ValidationError({"status": _("该记录已核实过")})
    if _own_record(acting_user, record, record.volunteer.user_id):
        raise ValidationError(
            {"verified_by": _("不能核实本人填报或本人的服务时长，请由队伍的其他负责人核实")}
        )
    if not approve and not note.strip():
        raise ValidationError({"verify_note": _("不通过时请填写原因")})
    if approve and _over_day(record):
        raise ValidationError(
            {
                "hours": _(
                    "%(day)s该志愿者的服务时长合计超过每人每日%(max)s小时的上限：请先核对，驳回不实的记录"
                )
                % {"day": record.on.isoformat(), "max": day_limits()[0]}
            }
        )
    record.status = RecordStatus.VERIFIED if approve else RecordStatus.REJECTED
    record.verified_by = actor(acting_user)
    record.verified_at = at or timezone.now()
    record.verify_note = note.strip()[:200]
    record.save(update_fields=["status", "verified_by", "verified_at", "verify_note"])
    return record


@dataclass
class BulkVerification:
    """What a 全部核实 verifies (or, unconfirmed, would verify) and what it leaves pending."""

    count: int = 0
    hours: Decimal = Decimal("0")
    own: int = 0  # logged by the leader or the leader's own hours: left for someone else
    over_day: int = 0  # of a day above the daily maximum: left for a look one by one
    done: bool = False


@transaction.atomic
def service_records_verify_bulk(
    *, acting_user: User | None, team: Team, records: Sequence[ServiceRecord], confirmed: bool = False
) -> BulkVerification:
    """Verify many pending records of one team at once (the leader's 全部核实).

    Without ``confirmed`` nothing changes: the result says how many records and hours would be
    verified, for the leader to confirm. Records the leader logged (or of the leader's own
    hours) and records of a day above the daily maximum are never verified in bulk."""
    if not leads(acting_user, team):
        raise PermissionDenied(_("只有本队队长可以核实服务时长"))
    pending = (
        ServiceRecord.objects.filter(pk__in=[r.pk for r in records if r.team_id == team.pk])
        .filter(status=RecordStatus.PENDING)
        .select_related("volunteer")
        .select_for_update()
    )
    result = BulkVerification()
    chosen: list[int] = []
    maximum = day_limits()[0]
    totals: dict[tuple[int, datetime.date], Decimal] = {}
    for record in pending:
        key = (record.volunteer_id, record.on)
        if key not in totals:
            totals[key] = day_hours(*key)
        if _own_record(acting_user, record, record.volunteer.user_id):
            result.own += 1
        elif totals[key] > maximum:
            result.over_day += 1
        else:
            chosen.append(record.pk)
            result.count += 1
            result.hours += record.hours
    if confirmed and chosen:
        ServiceRecord.objects.filter(pk__in=chosen, status=RecordStatus.PENDING).update(
            status=RecordStatus.VERIFIED, verified_by=actor(acting_user), verified_at=timezone.now()
        )
    result.done = confirmed
    return result


def service_records_bulk_log(*, acting_user: User | None, records: Sequence[ServiceRecord]) -> int:
    """Prepared, already-checked records in one insert (the demo); callers build them with
    :func:`service_record_prepare`."""
    ServiceRecord.objects.bulk_create(records, batch_size=500)
    return len(records)


def service_record_prepare(
    *,
    acting_user: User | None,
    volunteer: Volunteer,
    on: datetime.date,
    hours: Any,
    kind: str,
    content: str,
    verified: bool,
) -> ServiceRecord:
    """A record checked like :func:`service_record_log`, not yet saved (for bulk loads)."""
    if kind not in ServiceKind.values:
        raise ValidationError({"kind": _("请选择服务类型")})
    not_future(on, "on")
    return ServiceRecord(
        volunteer=volunteer,
        team_id=volunteer.team_id,
        region_id=volunteer.region_id,
        on=on,
        hours=_hours(hours),
        kind=kind,
        content=checks.text(content, "content", required=True, message=_("请填写服务内容"))[:200],
        logged_by=actor(acting_user),
        status=RecordStatus.VERIFIED if verified else RecordStatus.PENDING,
        verified_by=actor(acting_user) if verified else None,
        verified_at=timezone.now() if verified else None,
    )


# ---- proofs ---------------------------------------------------------------------------------


@transaction.atomic
def proof_issue(
    *,
    acting_user: User | None,
    volunteer: Volunteer,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    issued_on: datetime.date | None = None,
) -> Proof:
    """志愿服务记录证明 of the verified hours (in the period, if given); the issuer is the team."""
    _may_manage(acting_user, volunteer.team)
    if period_start and period_end and period_start > period_end:
        raise ValidationError({"period_end": _("截止日期不能早于起始日期")})
    records = ServiceRecord.objects.filter(volunteer=volunteer, status=RecordStatus.VERIFIED)
    if period_start:
        records = records.filter(on__gte=period_start)
    if period_end:
        records = records.filter(on__lte=period_end)
    # hours: the sum with the reversals of corrected records (they net out); services: the
    # records neither corrected nor reversing
    totals = records.aggregate(
        hours=Sum("hours"), n=Count("id", filter=Q(corrects__isnull=True, reversal__isnull=True))
    )
    if not totals["n"]:
        raise ValidationError({"period_start": _("该期间没有已核实的服务记录，不能出具证明")})
    kinds = dict(ServiceKind.choices)
    by_kind = records.values_list("kind").annotate(h=Sum("hours")).order_by("kind")
    content = "；".join(f"{kinds.get(k, k)} {h} {_('小时')}" for k, h in by_kind if h)
    issued_on = issued_on or timezone.localdate()
    proof = Proof(
        volunteer=volunteer,
        region=volunteer.region,
        team=volunteer.team,
        number=next_number(Proof, f"ZM{issued_on.year}-", width=6),
        issued_on=issued_on,
        issuer=volunteer.team.organization.name,
        period_start=period_start,
        period_end=period_end,
        hours=totals["hours"],
        record_count=totals["n"],
        content=content,
        issued_by=actor(acting_user),
    )
    proof.full_clean()
    proof.save()
    return proof
