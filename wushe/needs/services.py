"""Every write to needs and problems: registering, the steps of a need, referral by accepting a
match (capacity taken with a conditional UPDATE, never below zero), problems and satisfaction.

Each function takes keyword-only arguments including ``acting_user`` (``None`` for the system
itself: the demo, imports), validates, runs in one transaction and leaves its audit record:
a ``NeedStep`` for each state change and a history row naming the actor.
Errors are ``ValidationError`` keyed by the field at fault.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_OUTREACH, WORK_NEEDS
from wushe.consent.services import sharing_record
from wushe.core import checks
from wushe.core.history import actor, record_actor
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.regions import ancestor_ids
from wushe.core.scoping import granted_organization_ids
from wushe.partners.models import Organization, Resource, ResponsibilityUnit
from wushe.projects.models import Project
from wushe.registry.models import Household, Person

from .config import deadline_days
from .matching import suggestion_for
from .models import (
    OPEN_STATUSES,
    STATUS_ORDER,
    Need,
    NeedCategory,
    NeedSource,
    NeedStatus,
    NeedStep,
    Problem,
    ProblemSource,
    ProblemStatus,
    Referral,
    ReferralState,
    Satisfaction,
    Urgency,
)
from .selectors import category_resolve, need_contact_person
from .sharing import sharing_defaults

NEED_REGION_LEVELS = (RegionLevel.COMMUNITY, RegionLevel.GRID)
_UNIT_PRIORITY = {"grid_worker": 0, "substation": 1, "community": 2, "station": 3, "civil_affairs": 4}


def default_unit_for(region: Region) -> ResponsibilityUnit | None:
    """The nearest unit above (or at) the need's region: 网格社工 → 社区社工分站 → 社工站/民政所."""
    ids = ancestor_ids(region)
    best: dict[int, ResponsibilityUnit] = {}
    for unit in ResponsibilityUnit.objects.filter(region_id__in=ids, active=True, organization__isnull=True):
        current = best.get(unit.region_id)
        if current is None or (_UNIT_PRIORITY.get(unit.kind, 9), unit.pk) < (
            _UNIT_PRIORITY.get(current.kind, 9),
            current.pk,
        ):
            best[unit.region_id] = unit
    for rid in ids:
        if rid in best:
            return best[rid]
    return None


def _check_unit(unit: ResponsibilityUnit, region: Region) -> None:
    """The unit must answer for the need's area: its region is the need's or one above it."""
    if not unit.active or unit.region_id not in ancestor_ids(region):
        raise ValidationError({"responsible_unit": _("责任单位须是需求所在区域或其上级区域的单位")})


def _subject(
    person: Person | None, household: Household | None, region: Region | None
) -> tuple[Person | None, Household | None, Region]:
    if person is not None and household is None:
        household = person.household
    if region is None:
        region = (household.region if household is not None else None) or (
            person.region if person is not None else None
        )
    if region is None:
        raise ValidationError({"region": _("请指定居民、户或区域")})
    if region.level not in NEED_REGION_LEVELS:
        raise ValidationError({"region": _("须登记到社区/村或网格")})
    return person, household, region


def _step(
    need: Need, *, from_status: str, to_status: str, by: User | None, at: datetime.datetime, note: str = ""
) -> None:
    NeedStep.objects.create(
        need=need, from_status=from_status, to_status=to_status, at=at, by=actor(by), note=note[:300]
    )


def _save(need: Need, acting_user: User | None, fields: list[str] | None = None) -> None:
    record_actor(need, user=acting_user)
    need.save(update_fields=fields)


def _require_visible(acting_user: User | None, need: Need) -> None:
    if acting_user is not None and not Need.objects.visible_to(acting_user).filter(pk=need.pk).exists():
        raise PermissionDenied(_("您没有执行此操作的权限"))


@transaction.atomic
def need_create(
    *,
    acting_user: User | None,
    category: NeedCategory | str,
    description: str,
    person: Person | None = None,
    household: Household | None = None,
    region: Region | None = None,
    visit: Any = None,  # a visits.Visit (visits sits above needs)
    urgency: str = Urgency.NORMAL,
    source: str = NeedSource.VISIT,
    responsible_unit: ResponsibilityUnit | None = None,
    responsible_person: str = "",
    deadline: datetime.date | None = None,
    reported_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> Need:
    """Register a need (status 待评估). Without a unit the nearest one answers for it; without a
    deadline it is set from the urgency."""
    require_perm(acting_user, RECORD_OUTREACH)
    person, household, region = _subject(person, household, region)
    require_region_in_scope(acting_user, region)
    cat = category_resolve(category)
    description = checks.text(description, "description", max_length=300, required=True)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("未知的紧急程度：%(u)s") % {"u": urgency}})
    if source not in NeedSource.values:
        raise ValidationError({"source": _("未知的需求来源：%(s)s") % {"s": source}})
    moment = checks.moment(at)
    day = reported_on or timezone.localtime(moment).date()
    if day > timezone.localdate():
        raise ValidationError({"reported_on": _("登记日期不能晚于今天")})
    unit = responsible_unit or default_unit_for(region)
    if unit is None:
        raise ValidationError({"responsible_unit": _("该区域还没有责任单位，请先在责任清单中设立")})
    _check_unit(unit, region)
    due = deadline or day + datetime.timedelta(days=deadline_days()[urgency])
    if due < day:
        raise ValidationError({"deadline": _("办结期限不能早于登记日期")})
    need = Need(
        region=region,
        person=person,
        household=household,
        visit=visit,
        category=cat,
        description=description,
        urgency=urgency,
        source=source,
        reported_on=day,
        responsible_unit=unit,
        responsible_person=checks.text(responsible_person, "responsible_person", max_length=50),
        deadline=due,
        created_by=actor(acting_user),
    )
    _save(need, acting_user)
    _step(need, from_status="", to_status=NeedStatus.ASSESS, by=acting_user, at=moment, note=_("登记"))
    return need


def acts_for(user: Any, organization_id: int | None) -> bool:
    """``user`` acts for the organization: a user granted on it, a superuser, or the system."""
    if user is None or getattr(user, "is_superuser", False):
        return True
    return organization_id is not None and organization_id in granted_organization_ids(user)


def next_statuses(need: Need, *, referral_waits: bool = False) -> list[str]:
    """The statuses an open need may move to: the later ones in 待评估 → 待对接 → 服务中 → 已满足
    (a step may be skipped; 已对接 is set only by a referral), and 无法满足. While its referral
    waits for an organization the user does not act for, 服务中 and 已满足 wait too: the
    organization accepts the referral (or starts the service, which accepts it) first."""
    if need.status not in OPEN_STATUSES:
        return []
    later = STATUS_ORDER[STATUS_ORDER.index(need.status) + 1 :]
    out = [s for s in later if s not in (NeedStatus.MATCHED, NeedStatus.UNMET)]
    if referral_waits:
        out = [s for s in out if s not in (NeedStatus.IN_SERVICE, NeedStatus.MET)]
    return [*out, NeedStatus.UNMET]


def _answer(
    referral: Referral, *, state: str, acting_user: User | None, moment: datetime.datetime, note: str = ""
) -> None:
    referral.state, referral.answered_at, referral.answered_by = state, moment, actor(acting_user)
    referral.answer_note = note[:300]
    referral.save(update_fields=["state", "answered_at", "answered_by", "answer_note"])


class NeedChanged(Exception):  # noqa: N818 — a state of the need, not a failure of the code
    """A step started from a version of the need whose status has changed since: nothing is
    written, and the caller shows both values (``field``, ``server``, ``version``)."""

    def __init__(self, need: Need, *, field: str, base: str) -> None:
        super().__init__(f"need {need.pk}: {field} changed since version")
        self.need, self.field, self.base = need, field, base
        self.server = getattr(need, field)
        self.version = need.version


@transaction.atomic
def need_advance(
    *,
    acting_user: User | None,
    need: Need,
    to_status: str,
    note: str = "",
    unmet_reason: str = "",
    satisfaction: str = "",
    at: datetime.datetime | None = None,
    base_version: int | None = None,
    base_status: str | None = None,
) -> Need:
    """Move an open need on to one of its ``next_statuses`` (待评估 → 待对接 → 服务中 → 已满足),
    or end it as 无法满足 with a reason. Each move is a step with its actor and time;
    satisfaction may be asked when the need is met. Starting the service of a need whose
    referral waits accepts the referral (only the organization, or the system, may).

    Compare-and-set, field by field: a change made from an older copy (``base_version``, the
    ``base_status`` it showed) goes ahead when the need is still at that version, or when only
    other fields changed since; when its status changed, ``NeedChanged`` is raised and nothing
    is written."""
    require_perm(acting_user, WORK_NEEDS)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_visible(acting_user, need)
    stale = base_version is not None and need.version != base_version
    if stale and (base_status is None or need.status != base_status):
        raise NeedChanged(need, field="status", base=base_status or "")
    if to_status not in NeedStatus.values:
        raise ValidationError({"to_status": _("未知的状态：%(s)s") % {"s": to_status}})
    if need.status not in OPEN_STATUSES:
        raise ValidationError({"to_status": _("该需求已经结束，不能再变更状态")})
    waiting = Referral.objects.select_for_update().filter(need=need, state=ReferralState.WAITING).first()
    blocked = waiting is not None and not acts_for(acting_user, waiting.organization_id)
    allowed = next_statuses(need, referral_waits=blocked)
    if to_status not in allowed:
        if blocked and to_status in (NeedStatus.IN_SERVICE, NeedStatus.MET):
            raise ValidationError(
                {
                    "to_status": _("转介尚待%(org)s接收，接收后才能开始服务")
                    % {"org": waiting.organization.name if waiting is not None else ""}
                }
            )
        names = "、".join(str(NeedStatus(s).label) for s in allowed)
        raise ValidationError(
            {
                "to_status": _("当前为%(now)s，只能推进到：%(next)s")
                % {"now": need.get_status_display(), "next": names}
            }
        )
    note = checks.text(note, "note", max_length=300)
    moment = checks.moment(at)
    if timezone.localtime(moment).date() < need.reported_on:
        raise ValidationError({"at": _("办理时间不能早于登记日期")})
    fields = ["status"]
    if to_status == NeedStatus.UNMET:
        need.unmet_reason = checks.text(unmet_reason, "unmet_reason", max_length=300, required=True)
        need.closed_at = moment
        fields += ["unmet_reason", "closed_at"]
    if to_status == NeedStatus.MET:
        need.met_at = need.closed_at = moment
        fields += ["met_at", "closed_at"]
        if satisfaction:
            _set_rating(need, satisfaction, moment)
            fields += ["satisfaction", "rated_at"]
    elif satisfaction:
        raise ValidationError({"satisfaction": _("需求满足后才能评价满意度")})
    if waiting is not None and to_status in (NeedStatus.IN_SERVICE, NeedStatus.MET):
        _answer(
            waiting, state=ReferralState.ACCEPTED, acting_user=acting_user, moment=moment, note=_("开始服务")
        )
    previous = need.status
    need.status = to_status
    _save(need, acting_user, fields)
    _step(
        need, from_status=previous, to_status=to_status, by=acting_user, at=moment, note=note or unmet_reason
    )
    return need


def _set_rating(obj: Any, satisfaction: str, moment: datetime.datetime) -> None:
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("满意度须为满意、基本满意或不满意")})
    obj.satisfaction, obj.rated_at = satisfaction, moment


@transaction.atomic
def need_rate(
    *, acting_user: User | None, need: Need, satisfaction: str, at: datetime.datetime | None = None
) -> Need:
    """The resident's rating of a met need (满意 / 基本满意 / 不满意)."""
    require_perm(acting_user, WORK_NEEDS)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_visible(acting_user, need)
    if need.status != NeedStatus.MET:
        raise ValidationError({"satisfaction": _("需求满足后才能评价满意度")})
    _set_rating(need, satisfaction, checks.moment(at))
    _save(need, acting_user, ["satisfaction", "rated_at"])
    return need


def resource_take_one(*, resource: Resource) -> None:
    """Take one unit of a resource's remaining capacity with a conditional UPDATE: on PostgreSQL
    concurrent accepts queue on the row and re-check ``remaining > 0``, so it never goes below
    zero (the check constraint backs this up)."""
    taken = Resource.objects.filter(pk=resource.pk, remaining__gt=0, active=True).update(
        remaining=F("remaining") - 1
    )
    if not taken:
        raise ValidationError({"resource": _("该资源已没有剩余容量")})


def _refer(
    *,
    acting_user: User | None,
    need: Need,
    org: Organization,
    moment: datetime.datetime,
    note: str,
    resource: Resource | None = None,
    project: Any = None,
    reasons: str = "",
    manual: bool = False,
    purpose: str = "",
    impact: str = "",
) -> Need:
    """Refer ``need`` (locked, open, not referred) to ``org``: a waiting ``Referral``, the need
    已对接 and visible to the organization, one step; the resident's contact is shared with the
    organization, so the sharing is recorded with its purpose and impact assessment (PIPL art.
    55; :func:`needs.sharing.sharing_defaults` when not given)."""
    previous = need.status
    need.resource, need.project = resource, project
    need.referred_to, need.referred_at, need.status = org, moment, NeedStatus.MATCHED
    _save(need, acting_user, ["resource", "project", "referred_to", "referred_at", "status"])
    referral = Referral.objects.create(
        need=need,
        organization=org,
        resource=resource,
        project=project,
        manual=manual,
        reasons=reasons,
        referred_at=moment,
        referred_by=actor(acting_user),
    )
    contact = need_contact_person(need)
    if contact is not None:
        default_purpose, default_impact = sharing_defaults(need, org)
        sharing_record(
            acting_user=acting_user,
            person=contact,
            organization_id=org.pk,
            purpose=purpose.strip() or default_purpose,
            impact=impact.strip() or default_impact,
            source=_("需求转介 #%(n)s") % {"n": referral.pk},
        )
    _step(need, from_status=previous, to_status=NeedStatus.MATCHED, by=acting_user, at=moment, note=note)
    return need


REFERABLE = (NeedStatus.ASSESS, NeedStatus.TO_MATCH)


@transaction.atomic
def need_accept(
    *,
    acting_user: User | None,
    need: Need,
    resource: Resource | None = None,
    project: Project | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
    purpose: str = "",
    impact: str = "",
) -> Need:
    """Accept a suggestion: refer the need to the resource's provider (or the project's
    undertaking organization), take one unit of the resource's capacity, status 已对接; the
    referral waits for the organization to accept or return it."""
    require_perm(acting_user, RECORD_OUTREACH)
    if (resource is None) == (project is None):
        raise ValidationError({"resource": _("请选择一个资源或一个项目")})
    need = Need.objects.select_for_update(of=("self",)).select_related("region", "category").get(pk=need.pk)
    _require_visible(acting_user, need)
    if need.status not in REFERABLE:
        raise ValidationError({"need": _("只有待评估或待对接的需求才能对接资源")})
    moment = checks.moment(at)
    target = resource or project
    suggestion = suggestion_for(need=need, target=target, on=timezone.localtime(moment).date())
    if suggestion is None:
        field = "resource" if resource is not None else "project"
        raise ValidationError({field: _("所选资源或项目不适合此需求（类别、服务区域、容量或期限不符）")})
    if resource is not None:
        resource_take_one(resource=resource)
    org: Organization = suggestion.provider
    return _refer(
        acting_user=acting_user,
        need=need,
        org=org,
        moment=moment,
        resource=resource,
        project=project,
        reasons=suggestion.reason,
        purpose=purpose,
        impact=impact,
        note=checks.text(note, "note", max_length=300)
        or _("转介至%(org)s（%(t)s）") % {"org": org.name, "t": target.name if target is not None else ""},
    )


# ---- problems --------------------------------------------------------------------------------


@transaction.atomic
def problem_create(
    *,
    acting_user: User | None,
    description: str,
    person: Person | None = None,
    household: Household | None = None,
    region: Region | None = None,
    visit: Any = None,  # a visits.Visit (visits sits above needs)
    source: str = ProblemSource.VISIT,
    found_on: datetime.date | None = None,
) -> Problem:
    require_perm(acting_user, RECORD_OUTREACH)
    person, household, region = _subject(person, household, region)
    require_region_in_scope(acting_user, region)
    if source not in ProblemSource.values:
        raise ValidationError({"source": _("未知的问题来源：%(s)s") % {"s": source}})
    day = found_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"found_on": _("发现日期不能晚于今天")})
    problem = Problem(
        region=region,
        person=person,
        household=household,
        visit=visit,
        source=source,
        description=checks.text(description, "description", max_length=300, required=True),
        found_on=day,
        created_by=actor(acting_user),
    )
    record_actor(problem, user=acting_user)
    problem.save()
    return problem


@transaction.atomic
def problem_resolve(
    *,
    acting_user: User | None,
    problem: Problem,
    resolution: str,
    resolved_on: datetime.date | None = None,
    satisfaction: str = "",
    at: datetime.datetime | None = None,
) -> Problem:
    """Resolve a problem with a note; the resident's satisfaction may be asked at the same time."""
    require_perm(acting_user, RECORD_OUTREACH)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    if acting_user is not None and not Problem.objects.visible_to(acting_user).filter(pk=problem.pk).exists():
        raise PermissionDenied(_("您没有执行此操作的权限"))
    if problem.status == ProblemStatus.RESOLVED:
        raise ValidationError({"resolution": _("该问题已经解决")})
    day = resolved_on or timezone.localdate()
    if day < problem.found_on:
        raise ValidationError({"resolved_on": _("解决日期不能早于发现日期")})
    if day > timezone.localdate():
        raise ValidationError({"resolved_on": _("解决日期不能晚于今天")})
    problem.resolution = checks.text(resolution, "resolution", max_length=300, required=True)
    problem.status, problem.resolved_on, problem.resolved_by = (
        ProblemStatus.RESOLVED,
        day,
        actor(acting_user),
    )
    fields = ["resolution", "status", "resolved_on", "resolved_by"]
    if satisfaction:
        _set_rating(problem, satisfaction, checks.moment(at))
        fields += ["satisfaction", "rated_at"]
    record_actor(problem, user=acting_user)
    problem.save(update_fields=fields)
    return problem
