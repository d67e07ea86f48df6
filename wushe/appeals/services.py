"""Every write of studios and residents' requests goes through here.

A request moves one step at a time: 登记 → 接待 → 转办 → 处理 → 反馈 → 归档. Each service fills
the pending step (who, when, what) and opens the next with its deadline counted in working days
on the calendar (``calendar.py``). A request is not archived before the requester was asked for
satisfaction at 反馈.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import HANDLE_APPEALS, SUPERVISE_APPEALS
from wushe.core import checks
from wushe.core.checks import next_number, require_visible
from wushe.core.history import actor
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.validators import mask_phone, normalise_phone
from wushe.partners.models import Organization, OrganizationKind, ResponsibilityUnit
from wushe.partners.units import acts_for_unit
from wushe.registry.identity import normalise_name
from wushe.registry.models import Person

from .calendar import add_working_days, invalidate, step_limit
from .models import (
    STEP_ORDER,
    Appeal,
    AppealStep,
    AppealSupervision,
    CalendarDay,
    Category,
    Channel,
    ReturnCall,
    ReturnOutcome,
    Satisfaction,
    Step,
    Studio,
    StudioTeam,
    TeamKind,
)

# ---- studios --------------------------------------------------------------------------------


@transaction.atomic
def studio_create(
    *,
    acting_user: User | None,
    organization: Organization,
    theme: str = "",
    teams: dict[str, str] | None = None,
) -> Studio:
    """A studio profile for an organization of kind 代表委员工作室, with its three teams."""
    if organization.kind != OrganizationKind.STUDIO:
        raise ValidationError({"organization": _("工作室须是“代表委员工作室”类型的组织")})
    if acting_user is not None:
        require_region_in_scope(acting_user, organization.region, field="organization")
    if Studio.objects.filter(organization=organization).exists():
        raise ValidationError({"organization": _("该组织已是工作室")})
    studio = Studio.objects.create(organization=organization, region=organization.region, theme=theme.strip())
    teams = teams or {}
    for kind in TeamKind.values:
        StudioTeam.objects.create(studio=studio, kind=kind, members=teams.get(kind, "").strip())
    return studio


def studio_get_or_create(
    *,
    acting_user: User | None,
    organization: Organization,
    theme: str = "",
    teams: dict[str, str] | None = None,
) -> Studio:
    """Idempotent variant for the demo: the organization's studio, or a new one."""
    existing = Studio.objects.filter(organization=organization).first()
    return existing or studio_create(
        acting_user=acting_user, organization=organization, theme=theme, teams=teams
    )


@transaction.atomic
def calendar_day_set(
    *, acting_user: User | None, date: datetime.date, working: bool, name: str = "", name_en: str = ""
) -> CalendarDay:
    """Mark a holiday (``working=False``) or a make-up working day (``working=True``); ``name``
    and its English ``name_en`` say which (春节 / Spring Festival)."""
    day, _created = CalendarDay.objects.update_or_create(
        date=date, defaults={"working": working, "name": name, "name_en": name_en}
    )
    transaction.on_commit(invalidate)
    invalidate()
    return day


# ---- requests -------------------------------------------------------------------------------


def _open_step(appeal: Appeal, step: str, after: datetime.datetime) -> AppealStep:
    due = add_working_days(timezone.localdate(after), step_limit(step, appeal.category))
    appeal.due_on = due
    return AppealStep.objects.create(appeal=appeal, step=step, due_on=due)


def _actor_name(user: User | None) -> str:
    return str(user) if actor(user) else _("系统")


@transaction.atomic
def appeal_register(
    *,
    acting_user: User | None,
    channel: str,
    category: str,
    content: str,
    studio: Studio | None = None,
    region: Region | None = None,
    team: str = "",
    person: Person | None = None,
    requester_name: str = "",
    requester_phone: str = "",
    at: datetime.datetime | None = None,
    note: str = "",
) -> Appeal:
    """登记: a request from a registered person or from a name and phone; it gets a number the
    requester can quote. Its region is the person's, else the given one, else the studio's."""
    require_perm(acting_user, HANDLE_APPEALS)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择诉求渠道")})
    if category not in Category.values:
        raise ValidationError({"category": _("请选择诉求类别")})
    if team and team not in TeamKind.values:
        raise ValidationError({"team": _("未知的接待队伍")})
    content = checks.text(content, "content", required=True, message=_("请填写诉求内容"))
    if studio is not None:
        require_visible(acting_user, studio, "studio")
    if person is not None:
        require_visible(acting_user, person, "person")
        region = person.region
        requester_name = requester_name.strip() or person.name
    requester_name = checks.text(
        normalise_name(requester_name),  # as the registry stores names: found by 王小明 and wxm
        "requester_name",
        max_length=50,
        required=True,
        message=_("请填写诉求人姓名或选择在册居民"),
    )
    if region is None:
        if studio is None:
            raise ValidationError({"region": _("请选择诉求所属区域")})
        region = studio.region
    elif (
        acting_user is not None
        and person is None
        and (studio is None or not region.path.startswith(studio.region.path))
    ):
        require_region_in_scope(acting_user, region)
    phone, masked = "", ""
    if requester_phone.strip():
        try:
            phone = normalise_phone(requester_phone)
        except ValidationError as exc:
            raise ValidationError({"requester_phone": exc.messages}) from None
        masked = mask_phone(phone)
    when = checks.moment(at)
    appeal = Appeal(
        studio=studio,
        region=region,
        number=next_number(Appeal, f"SQ{timezone.localdate(when).year}-", width=6),
        channel=channel,
        team=team,
        category=category,
        person=person,
        requester_name=requester_name,
        requester_phone=phone,
        requester_phone_masked=masked,
        content=content,
        step=Step.REGISTER,
        registered_at=when,
    )
    appeal.full_clean(exclude=["due_on", "studio", "region", "person", "referred_to"])  # objects in hand
    appeal.save()
    AppealStep.objects.create(
        appeal=appeal,
        step=Step.REGISTER,
        due_on=timezone.localdate(when),
        done_at=when,
        by=actor(acting_user),
        actor_name=_actor_name(acting_user),
        note=note.strip(),
    )
    _open_step(appeal, Step.RECEIVE, when)
    appeal.save(update_fields=["due_on"])
    return appeal


def _pending(appeal: Appeal, step: str) -> tuple[AppealStep, datetime.datetime | None]:
    """The pending step (which must be ``step``) and when the last step was done."""
    if appeal.step == Step.ARCHIVE:
        raise ValidationError({"step": _("诉求已归档")})
    expected = STEP_ORDER[STEP_ORDER.index(appeal.step) + 1]
    if step != expected:
        raise ValidationError(
            {
                "step": _("须按 登记→接待→转办→处理→反馈→归档 的顺序办理，下一步是%(s)s")
                % {"s": Step(expected).label}
            }
        )
    steps = list(AppealStep.objects.filter(appeal=appeal))
    pending = next(s for s in steps if s.step == step and s.done_at is None)
    last_done = max((s.done_at for s in steps if s.done_at is not None), default=None)
    return pending, last_done


def _finish(
    *,
    acting_user: User | None,
    appeal: Appeal,
    step: str,
    note: str,
    at: datetime.datetime | None,
    fields: list[str],
) -> Appeal:
    require_perm(acting_user, HANDLE_APPEALS)
    pending, last_done = _pending(appeal, step)
    when = checks.moment(at)
    if last_done and when < last_done:
        raise ValidationError({"at": _("时间不能早于上一步的办理时间")})
    pending.done_at = when
    pending.by = actor(acting_user)
    pending.actor_name = _actor_name(acting_user)
    pending.note = note.strip()
    pending.save(update_fields=["done_at", "by", "actor_name", "note"])
    appeal.step = step
    if step == Step.ARCHIVE:
        appeal.due_on = None
        appeal.archived_at = when
        appeal.return_call_due_on = add_working_days(timezone.localdate(when), RETURN_CALL_DAYS)
        fields += ["archived_at", "return_call_due_on"]
    else:
        _open_step(appeal, STEP_ORDER[STEP_ORDER.index(step) + 1], when)
    appeal.save(update_fields=[*fields, "step", "due_on"])
    return appeal


@transaction.atomic
def appeal_receive(
    *, acting_user: User | None, appeal: Appeal, note: str, at: datetime.datetime | None = None
) -> Appeal:
    """接待: the studio's team met the requester and understood the request."""
    note = checks.text(note, "note", required=True, message=_("请填写接待情况"))
    return _finish(acting_user=acting_user, appeal=appeal, step=Step.RECEIVE, note=note, at=at, fields=[])


def units_for(appeal: Appeal) -> Any:
    """The units a request may be referred to: those of its region's ancestors and subtree."""
    ancestors = [int(p) for p in appeal.region.path.strip("/").split("/") if p]
    from django.db.models import Q

    return (
        ResponsibilityUnit.objects.filter(active=True)
        .filter(Q(region_id__in=ancestors) | Q(region__path__startswith=appeal.region.path))
        .select_related("region", "organization")
        .order_by("kind", "name")
    )


@transaction.atomic
def appeal_refer(
    *,
    acting_user: User | None,
    appeal: Appeal,
    unit: ResponsibilityUnit | None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Appeal:
    """转办: to the responsible unit (责任清单); the unit's organization then sees the request."""
    if unit is None:
        raise ValidationError({"unit": _("请选择转办单位")})
    if not units_for(appeal).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("该责任单位不负责本诉求所在区域")})
    appeal.referred_to = unit
    return _finish(
        acting_user=acting_user,
        appeal=appeal,
        step=Step.REFER,
        note=note or unit.name,
        at=at,
        fields=["referred_to"],
    )


@transaction.atomic
def appeal_handle(
    *,
    acting_user: User | None,
    appeal: Appeal,
    resolution: str,
    resolved: bool,
    at: datetime.datetime | None = None,
) -> Appeal:
    """处理: the unit's result; ``resolved`` says whether the difficulty was solved. Only the
    members of the unit the request was referred to, or its supervisors, handle it
    (``partners.units.acts_for_unit``)."""
    require_perm(acting_user, HANDLE_APPEALS)
    if appeal.step == Step.REFER and not acts_for_unit(acting_user, appeal.referred_to):
        raise PermissionDenied(
            _("只有转办单位%(unit)s的成员或街道督导才能处理")
            % {"unit": appeal.referred_to.name if appeal.referred_to else ""}
        )
    resolution = checks.text(resolution, "resolution", required=True, message=_("请填写办理结果"))
    appeal.resolution = resolution
    appeal.resolved = bool(resolved)
    return _finish(
        acting_user=acting_user,
        appeal=appeal,
        step=Step.HANDLE,
        note=resolution,
        at=at,
        fields=["resolution", "resolved"],
    )


def _set_satisfaction(appeal: Appeal, satisfaction: str, when: datetime.datetime) -> None:
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度")})
    appeal.satisfaction = satisfaction
    appeal.satisfaction_asked_at = when


@transaction.atomic
def appeal_feedback(
    *,
    acting_user: User | None,
    appeal: Appeal,
    feedback: str,
    satisfaction: str = "",
    at: datetime.datetime | None = None,
) -> Appeal:
    """反馈: the requester is told the result and asked for satisfaction (which may follow
    later with :func:`appeal_satisfaction_record` when the requester could not be asked yet)."""
    feedback = checks.text(feedback, "feedback", required=True, message=_("请填写反馈内容"))
    appeal.feedback = feedback
    fields = ["feedback"]
    if satisfaction:
        _set_satisfaction(appeal, satisfaction, checks.moment(at))
        fields += ["satisfaction", "satisfaction_asked_at"]
    return _finish(
        acting_user=acting_user, appeal=appeal, step=Step.FEEDBACK, note=feedback, at=at, fields=fields
    )


@transaction.atomic
def appeal_satisfaction_record(
    *, acting_user: User | None, appeal: Appeal, satisfaction: str, at: datetime.datetime | None = None
) -> Appeal:
    require_perm(acting_user, HANDLE_APPEALS)
    if appeal.step != Step.FEEDBACK:
        raise ValidationError({"satisfaction": _("满意度在反馈之后、归档之前记录")})
    _set_satisfaction(appeal, satisfaction, checks.moment(at))
    appeal.save(update_fields=["satisfaction", "satisfaction_asked_at"])
    return appeal


@transaction.atomic
def appeal_archive(
    *, acting_user: User | None, appeal: Appeal, note: str = "", at: datetime.datetime | None = None
) -> Appeal:
    """归档: only after the requester was asked for satisfaction at 反馈."""
    if appeal.step == Step.FEEDBACK and appeal.satisfaction_asked_at is None:
        raise ValidationError({"satisfaction": _("归档前须在反馈时询问诉求人的满意度")})
    return _finish(acting_user=acting_user, appeal=appeal, step=Step.ARCHIVE, note=note, at=at, fields=[])


# ---- the closed loop: 督办 and 回访 -------------------------------------------------------------

RETURN_CALL_DAYS = 1  # the return call: the working day after closing


@transaction.atomic
def appeal_supervise(
    *, acting_user: User | None, appeal: Appeal, note: str, at: datetime.datetime | None = None
) -> AppealSupervision:
    """督办: a supervisor of the street (``SUPERVISE_APPEALS``) presses an overdue request; the
    record names who, when, the step it waits at and that step's deadline."""
    require_perm(acting_user, SUPERVISE_APPEALS)
    require_visible(acting_user, appeal, "appeal")
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    when = checks.moment(at)
    if appeal.step == Step.ARCHIVE or appeal.due_on is None or appeal.due_on >= timezone.localdate(when):
        raise ValidationError({"appeal": _("只有逾期未办的诉求才能督办")})
    note = checks.text(note, "note", max_length=300, required=True, message=_("请填写督办意见"))
    pending = STEP_ORDER[STEP_ORDER.index(appeal.step) + 1]
    return AppealSupervision.objects.create(
        appeal=appeal,
        at=when,
        by=actor(acting_user),
        actor_name=_actor_name(acting_user),
        step=pending,
        due_on=appeal.due_on,
        note=note,
    )


@transaction.atomic
def appeal_return_call(
    *,
    acting_user: User | None,
    appeal: Appeal,
    outcome: str,
    satisfaction: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
) -> ReturnCall:
    """回访: a call back to the requester after the request was archived, with its outcome; the
    first call that reached the requester completes the return call (an unreachable one leaves
    it due). The satisfaction heard then is recorded with the call."""
    require_perm(acting_user, HANDLE_APPEALS)
    require_visible(acting_user, appeal, "appeal")
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.step != Step.ARCHIVE or appeal.archived_at is None:
        raise ValidationError({"outcome": _("诉求归档后才能回访")})
    if appeal.return_call_done_at is not None:
        raise ValidationError({"outcome": _("该诉求已经回访过")})
    if outcome not in ReturnOutcome.values:
        raise ValidationError({"outcome": _("请选择回访结果")})
    if satisfaction and (satisfaction not in Satisfaction.values or outcome == ReturnOutcome.UNREACHABLE):
        raise ValidationError({"satisfaction": _("联系上诉求人时才能记录满意度")})
    when = checks.moment(at)
    if when < appeal.archived_at:
        raise ValidationError({"at": _("回访时间不能早于归档时间")})
    call = ReturnCall.objects.create(
        appeal=appeal,
        at=when,
        by=actor(acting_user),
        actor_name=_actor_name(acting_user),
        outcome=outcome,
        satisfaction=satisfaction,
        note=checks.text(note, "note", max_length=300),
    )
    if outcome != ReturnOutcome.UNREACHABLE:
        appeal.return_call_done_at = when
        appeal.save(update_fields=["return_call_done_at"])
    return call


STEP_SERVICES: dict[str, Callable[..., Appeal]] = {
    Step.RECEIVE: appeal_receive,
    Step.REFER: appeal_refer,
    Step.HANDLE: appeal_handle,
    Step.FEEDBACK: appeal_feedback,
    Step.ARCHIVE: appeal_archive,
}


def appeal_step(*, acting_user: User | None, appeal: Appeal, step: str, **fields: Any) -> Appeal:
    """Do ``step`` with the fields it takes (the pages and the API call this)."""
    service = STEP_SERVICES.get(step)
    if service is None:
        raise ValidationError({"step": _("未知的办理步骤")})
    return service(acting_user=acting_user, appeal=appeal, **fields)
