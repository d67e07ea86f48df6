"""Every write of case work, group work and activities goes through here."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_SERVICES
from wushe.core import checks
from wushe.core.checks import next_number, not_future, require_visible
from wushe.core.files import sniff_image
from wushe.core.history import actor, record_actor
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.partners.models import Organization, OrganizationKind
from wushe.partners.selectors import usable_organizations
from wushe.registry.models import Person, PersonStatus

from .models import (
    CASE_ORDER,
    Activity,
    ActivityKind,
    ActivityPhoto,
    Case,
    CaseService,
    CaseStage,
    CaseStep,
    CaseStepKind,
    Group,
    GroupSession,
    OrganizerKind,
)

SERVICE_ORG_KINDS = (OrganizationKind.PROFESSIONAL, OrganizationKind.COMMUNITY)
ORGANIZER_ORG_KINDS = {
    OrganizerKind.ORGANIZATION: (
        OrganizationKind.PROFESSIONAL,
        OrganizationKind.COMMUNITY,
        OrganizationKind.ENTERPRISE,
        OrganizationKind.PARTY_CENTRE,
    ),
    OrganizerKind.VOLUNTEER_TEAM: (OrganizationKind.VOLUNTEER_TEAM,),
    OrganizerKind.STUDIO: (OrganizationKind.STUDIO,),
}
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


def _check_org(
    user: User | None, organization: Organization | None, kinds: Sequence[str], field: str
) -> None:
    if organization is None:
        return
    if organization.kind not in kinds:
        raise ValidationError({field: _("所选组织的类型不符合要求")})
    if user is not None and not usable_organizations(user).filter(pk=organization.pk).exists():
        raise ValidationError({field: _("所选对象不存在或不在您的管辖范围内")})


def _check_person(user: User | None, person: Person, field: str = "person") -> None:
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({field: _("服务对象不是在册居民")})
    require_visible(user, person, field)


# ---- cases ----------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    acting_user: User | None,
    person: Person,
    reason: str,
    opened_on: datetime.date,
    organization: Organization | None = None,
    worker: User | None = None,
    project: str = "",
    next_due: datetime.date | None = None,
) -> Case:
    """接案: a case for a registered person, recorded as its first step."""
    require_perm(acting_user, RECORD_SERVICES)
    _check_person(acting_user, person)
    _check_org(acting_user, organization, SERVICE_ORG_KINDS, "organization")
    reason = checks.text(reason, "reason", required=True, message=_("请填写接案原因"))
    not_future(opened_on, "opened_on")
    case = Case(
        region=person.region,
        person=person,
        organization=organization,
        worker=worker if worker is not None else actor(acting_user),
        number=next_number(Case, f"GA{opened_on.year}-"),
        project=project.strip(),
        reason=reason,
        opened_on=opened_on,
        next_due=next_due,
    )
    record_actor(case, user=acting_user)
    case.full_clean(exclude=["region", "person", "organization", "worker"])  # objects in hand
    case.save()
    CaseStep.objects.create(
        case=case, kind=CaseStepKind.INTAKE, on=opened_on, by=actor(acting_user), note=reason
    )
    return case


_STAGE_FIELD = {
    CaseStage.ASSESSMENT: ("assessment", _("请填写评估内容")),
    CaseStage.PLAN: ("plan", _("请填写服务计划")),
    CaseStage.INTERVENTION: ("", ""),
    CaseStage.CLOSED: ("closing_summary", _("请填写结案小结")),
}


@transaction.atomic
def case_advance(
    *,
    acting_user: User | None,
    case: Case,
    stage: str,
    on: datetime.date,
    note: str = "",
    goals: str = "",
    follow_up_on: datetime.date | None = None,
    next_due: datetime.date | None = None,
) -> Case:
    """Move a case to its next stage (评估 → 计划 → 介入 → 结案). A case may be closed from any
    open stage (moved away, referred on) but never skips the order otherwise. ``note`` is what
    the stage records: the assessment, the plan, the intervention, the closing summary."""
    require_perm(acting_user, RECORD_SERVICES)
    if stage not in CaseStage.values or stage == CaseStage.INTAKE:
        raise ValidationError({"stage": _("未知的个案阶段")})
    if case.stage == CaseStage.CLOSED:
        raise ValidationError({"stage": _("个案已结案，如需继续服务请重新开案")})
    expected = CASE_ORDER[CASE_ORDER.index(case.stage) + 1]
    if stage != expected and stage != CaseStage.CLOSED:
        raise ValidationError(
            {
                "stage": _("个案须按 接案→评估→计划→介入→结案 的顺序推进，下一步是%(s)s")
                % {"s": CaseStage(expected).label}
            }
        )
    if on < case.opened_on:
        raise ValidationError({"on": _("日期不能早于接案日期")})
    not_future(on, "on")
    field, message = _STAGE_FIELD[CaseStage(stage)]
    fields = ["stage", "next_due"]
    if field:
        text = checks.text(note, "note", required=True, message=message)
        setattr(case, field, text)
        fields.append(field)
    if goals.strip():
        case.goals = goals.strip()
        fields.append("goals")
    if stage == CaseStage.CLOSED:
        case.closed_on = on
        case.follow_up_on = follow_up_on
        fields += ["closed_on", "follow_up_on"]
        next_due = follow_up_on
    case.stage = stage
    case.next_due = next_due
    record_actor(case, user=acting_user)
    case.save(update_fields=fields)
    CaseStep.objects.create(case=case, kind=stage, on=on, by=actor(acting_user), note=note.strip())
    return case


@transaction.atomic
def case_reopen(*, acting_user: User | None, case: Case, on: datetime.date, note: str) -> Case:
    """重新开案: a closed case goes back to assessment; the reason is recorded."""
    require_perm(acting_user, RECORD_SERVICES)
    if case.stage != CaseStage.CLOSED:
        raise ValidationError({"stage": _("只有已结案的个案可以重新开案")})
    note = checks.text(note, "note", required=True, message=_("请填写重新开案的原因"))
    if case.closed_on and on < case.closed_on:
        raise ValidationError({"on": _("日期不能早于结案日期")})
    not_future(on, "on")
    case.stage = CaseStage.ASSESSMENT
    case.closed_on = None
    record_actor(case, user=acting_user)
    case.save(update_fields=["stage", "closed_on"])
    CaseStep.objects.create(case=case, kind=CaseStepKind.REOPENED, on=on, by=actor(acting_user), note=note)
    return case


def _case_minutes(minutes: Any, worker: User | None, on: datetime.date) -> int:
    """One record at most ``WUSHE_CASE_SERVICE_MAX_MINUTES``; one worker's records of a day
    together at most ``WUSHE_CASE_SERVICE_DAY_MAX_MINUTES``."""
    limit = settings.WUSHE_CASE_SERVICE_MAX_MINUTES
    try:
        n = int(minutes)
    except (TypeError, ValueError):
        raise ValidationError({"minutes": _("服务时长（分钟）：请填写整数")}) from None
    if n <= 0 or n > limit:
        raise ValidationError({"minutes": _("服务时长（分钟）应为1至%(max)s分钟") % {"max": limit}})
    if worker is not None and getattr(worker, "pk", None):
        day_limit = settings.WUSHE_CASE_SERVICE_DAY_MAX_MINUTES
        get_user_model().objects.select_for_update().filter(pk=worker.pk).exists()  # one writer per worker
        have = CaseService.objects.filter(worker=worker, on=on).aggregate(m=Sum("minutes"))["m"] or 0
        if have + n > day_limit:
            raise ValidationError(
                {
                    "minutes": _(
                        "服务时长（分钟）：该社工%(day)s已记录%(have)s分钟，加上本次%(m)s分钟超过每人每日%(max)s分钟的上限"
                    )
                    % {"day": on.isoformat(), "have": have, "m": n, "max": day_limit}
                }
            )
    return n


@transaction.atomic
def case_service_record(
    *,
    acting_user: User | None,
    case: Case,
    on: datetime.date,
    minutes: int,
    content: str,
    worker: User | None = None,
    need_refs: str = "",
    next_due: datetime.date | None = None,
) -> CaseService:
    require_perm(acting_user, RECORD_SERVICES)
    if case.stage == CaseStage.CLOSED:
        raise ValidationError({"case": _("个案已结案，不能再记录服务")})
    worker = worker if worker is not None else actor(acting_user)
    minutes = _case_minutes(minutes, worker, on)
    content = checks.text(content, "content", required=True, message=_("请填写服务内容"))
    if on < case.opened_on:
        raise ValidationError({"on": _("服务日期不能早于接案日期")})
    not_future(on, "on")
    record = CaseService(
        case=case,
        on=on,
        minutes=minutes,
        content=content,
        worker=worker,
        need_refs=need_refs.strip(),
    )
    record.full_clean()
    record.save()
    if next_due is not None:
        case.next_due = next_due
        case.save(update_fields=["next_due"])
    return record


# ---- groups ---------------------------------------------------------------------------------


def _no_repeats(people: list[Person], field: str, label: str) -> None:
    seen: set[int] = set()
    repeated = []
    for p in people:
        if p.pk in seen:
            repeated.append(p.name)
        seen.add(p.pk)
    if repeated:
        raise ValidationError({field: _("%(label)s重复：%(n)s") % {"label": label, "n": "、".join(repeated)}})


def _check_members(
    user: User | None, members: Iterable[Person], region: Region, already: int = 0
) -> list[Person]:
    members = list(members)
    _no_repeats(members, "members", _("组员"))
    limit = settings.WUSHE_GROUP_MAX_MEMBERS
    if already + len(members) > limit:
        raise ValidationError(
            {
                "members": _("组员：一个小组最多%(max)s人（现有%(have)s人，本次%(n)s人）")
                % {"max": limit, "have": already, "n": len(members)}
            }
        )
    for p in members:
        _check_person(user, p, "members")
    return members


@transaction.atomic
def group_create(
    *,
    acting_user: User | None,
    region: Region,
    name: str,
    goal: str,
    starts_on: datetime.date,
    organization: Organization | None = None,
    workers: Iterable[Any] = (),
    members: Iterable[Person] = (),
    ends_on: datetime.date | None = None,
) -> Group:
    require_perm(acting_user, RECORD_SERVICES)
    if acting_user is not None:
        require_region_in_scope(acting_user, region)
    _check_org(acting_user, organization, SERVICE_ORG_KINDS, "organization")
    name = checks.text(name, "name", required=True, message=_("请填写小组名称"))
    goal = checks.text(goal, "goal", required=True, message=_("请填写小组目标"))
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
    member_list = _check_members(acting_user, members, region)
    group = Group(
        region=region, organization=organization, name=name, goal=goal, starts_on=starts_on, ends_on=ends_on
    )
    record_actor(group, user=acting_user)
    group.full_clean()
    group.save()
    worker_list = list(workers) or ([acting_user] if actor(acting_user) else [])
    group.workers.set(worker_list)
    group.members.set(member_list)
    return group


@transaction.atomic
def group_members_add(*, acting_user: User | None, group: Group, members: Iterable[Person]) -> Group:
    require_perm(acting_user, RECORD_SERVICES)
    members = list(members)
    present = set(group.members.filter(pk__in=[p.pk for p in members]).values_list("pk", flat=True))
    new = [p for p in members if p.pk not in present]
    group.members.add(*_check_members(acting_user, new, group.region, already=group.members.count()))
    return group


@transaction.atomic
def group_session_record(
    *,
    acting_user: User | None,
    group: Group,
    on: datetime.date,
    topic: str,
    content: str = "",
    attendees: Iterable[Person] = (),
) -> GroupSession:
    """One session of a group, with the members who attended."""
    require_perm(acting_user, RECORD_SERVICES)
    topic = checks.text(topic, "topic", required=True, message=_("请填写本节主题"))
    if on < group.starts_on:
        raise ValidationError({"on": _("日期不能早于小组开始日期")})
    not_future(on, "on")
    attendee_list = list(attendees)
    _no_repeats(attendee_list, "attendees", _("出席者"))
    if len(attendee_list) > settings.WUSHE_GROUP_MAX_MEMBERS:
        raise ValidationError(
            {"attendees": _("出席者：一节最多%(max)s人") % {"max": settings.WUSHE_GROUP_MAX_MEMBERS}}
        )
    member_ids = set(group.members.values_list("id", flat=True))
    strangers = [p.name for p in attendee_list if p.pk not in member_ids]
    if strangers:
        raise ValidationError({"attendees": _("出席者须是本小组组员：%(n)s") % {"n": "、".join(strangers)}})
    last = group.sessions.order_by("-number").values_list("number", flat=True).first() or 0
    session = GroupSession(
        group=group,
        number=last + 1,
        on=on,
        topic=topic,
        content=content.strip(),
        recorded_by=actor(acting_user),
    )
    session.full_clean()
    session.save()
    session.attendees.set(attendee_list)
    return session


# ---- activities -----------------------------------------------------------------------------


ACTIVITY_LIMITS = {  # field → (its label, the setting that bounds it)
    "participants": (_lazy("参与人数"), "WUSHE_ACTIVITY_MAX_PARTICIPANTS"),
    "disabled_participants": (_lazy("其中残疾人"), "WUSHE_ACTIVITY_MAX_PARTICIPANTS"),
    "volunteers": (_lazy("志愿者人数"), "WUSHE_ACTIVITY_MAX_VOLUNTEERS"),
    "leaflets": (_lazy("发放宣传资料（份）"), "WUSHE_ACTIVITY_MAX_LEAFLETS"),
    "questions_answered": (_lazy("解答咨询（人次）"), "WUSHE_ACTIVITY_MAX_QUESTIONS"),
}


def activity_limit(field: str) -> int:
    return int(getattr(settings, ACTIVITY_LIMITS[field][1]))


@transaction.atomic
def activity_create(
    *,
    acting_user: User | None,
    region: Region,
    kind: str,
    title: str,
    on: datetime.date,
    place: str,
    organizer_kind: str = OrganizerKind.COMMUNITY,
    organizer: Organization | None = None,
    participants: int = 0,
    disabled_participants: int = 0,
    volunteers: int = 0,
    leaflets: int = 0,
    questions_answered: int = 0,
    summary: str = "",
) -> Activity:
    """社区活动 / 宣传活动 with its counts (participants, the disabled among them, volunteers,
    leaflets handed out, questions answered)."""
    require_perm(acting_user, RECORD_SERVICES)
    if acting_user is not None:
        require_region_in_scope(acting_user, region)
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("未知的活动类型")})
    if organizer_kind not in OrganizerKind.values:
        raise ValidationError({"organizer_kind": _("未知的主办方类型")})
    if organizer_kind == OrganizerKind.COMMUNITY:
        if organizer is not None:
            raise ValidationError({"organizer": _("社区主办的活动不选择组织")})
    elif organizer is None:
        raise ValidationError({"organizer": _("请选择主办组织")})
    else:
        _check_org(acting_user, organizer, ORGANIZER_ORG_KINDS[OrganizerKind(organizer_kind)], "organizer")
    title = checks.text(title, "title", required=True, message=_("请填写活动名称"))
    place = checks.text(place, "place", required=True, message=_("请填写活动地点"))
    not_future(on, "on")
    counts = {
        f: checks.count(v, f, label=ACTIVITY_LIMITS[f][0], maximum=activity_limit(f))
        for f, v in (
            ("participants", participants),
            ("disabled_participants", disabled_participants),
            ("volunteers", volunteers),
            ("leaflets", leaflets),
            ("questions_answered", questions_answered),
        )
    }
    if counts["disabled_participants"] > counts["participants"]:
        raise ValidationError({"disabled_participants": _("残疾人参与人数不能多于参与总人数")})
    activity = Activity(
        region=region,
        kind=kind,
        title=title,
        on=on,
        place=place,
        organizer_kind=organizer_kind,
        organizer=organizer,
        summary=summary.strip(),
        recorded_by=actor(acting_user),
        **counts,
    )
    record_actor(activity, user=acting_user)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_photo_add(
    *, acting_user: User | None, activity: Activity, fileobj: IO[bytes], caption: str = ""
) -> ActivityPhoto:
    """A photo of an activity: JPEG, PNG or WebP (checked from its content), at most
    ``WUSHE_UPLOAD_MAX_BYTES``; stored under ``WUSHE_DATA_DIR/uploads`` with a random name."""
    require_perm(acting_user, RECORD_SERVICES)
    limit = settings.WUSHE_UPLOAD_MAX_BYTES
    data = fileobj.read(limit + 1)
    if not data:
        raise ValidationError({"image": _("文件是空的")})
    if len(data) > limit:
        raise ValidationError({"image": _("照片不能超过 %(mb)s MB") % {"mb": limit // (1024 * 1024)}})
    content_type = sniff_image(data[:16])
    if content_type is None:
        raise ValidationError({"image": _("只能上传 JPEG、PNG 或 WebP 格式的照片")})
    name = secrets.token_hex(12) + PHOTO_TYPES[content_type]
    photo = ActivityPhoto(
        activity=activity,
        content_type=content_type,
        size=len(data),
        caption=caption.strip()[:200],
        uploaded_by=actor(acting_user),
    )
    photo.image.save(name, ContentFile(data), save=False)
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    return photo
