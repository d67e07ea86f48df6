"""Every read of studios and requests, scoped through ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.core.models import Region
from wushe.core.scoping import (
    get_visible_or_404,
    granted_organization_ids,
    granted_paths,
    visible_regions,
)
from wushe.partners.models import ResponsibilityUnit
from wushe.partners.units import who_acts_for
from wushe.registry.identity import normalise_name
from wushe.registry.subjects import Subject, subject_q

from .calendar import add_working_days, step_limit
from .models import STEP_ORDER, Appeal, AppealStep, AppealSupervision, ReturnCall, Step, Studio

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

AppealsQS = TypeVar("AppealsQS", bound=QuerySet[Appeal])


@dataclass
class AppealFilters:
    """The one filter definition of the request list (page and API)."""

    q: str = ""
    step: str = ""
    category: str = ""
    overdue: bool = False
    studio: int | None = None
    region: Region | None = None
    mine: bool = False  # waiting at a step the user's side does (appeals_waiting_q)
    return_due: bool = False  # archived requests whose return call is due (回访)
    subject: Subject = Subject()  # a person's requests, or those of a household's members


def appeal_list(*, user: AnyUser, filters: AppealFilters | None = None) -> QuerySet[Appeal]:
    f = filters or AppealFilters()
    qs = (
        Appeal.objects.visible_to(user)
        .select_related("studio__organization", "region", "referred_to")
        .defer("requester_phone")
    )
    if f.subject:
        qs = qs.filter(subject_q(f.subject, household=None))
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.step:
        qs = qs.filter(step=f.step)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.studio:
        qs = qs.filter(studio_id=f.studio)
    if f.overdue:
        qs = overdue(qs)
    if f.mine:
        qs = qs.filter(waiting_for_q(user))
    if f.q:
        text = f.q.strip()
        name = normalise_name(text)  # names are stored normalised: " 王 小 明 " finds 王小明
        qs = qs.filter(
            Q(number__iexact=text) | Q(requester_name__icontains=name) | Q(content__icontains=text)
        )
    if f.return_due:
        return return_calls_due(qs).order_by("return_call_due_on", "id")
    if f.overdue or f.mine:
        return qs.order_by("due_on", "id")
    return qs.order_by("-registered_at", "-id")


def waiting_for_q(user: AnyUser) -> Q:
    """Requests waiting at a step the user's side does — the one definition of "waiting at my
    step" (the home's to-do and the list's 只看等我办理的):

    - the studio registers, receives, refers, gives feedback and archives its own requests: a
      studio's user has those of its studio whose next step is not 处理;
    - 处理 is the responsible unit's: an organization's user has those referred to a unit of its
      organization and waiting to be handled;
    - a region role has, in its scope, the requests no studio carries (collected on a visit) at
      their studio steps, and those referred to a unit of its regions (民政所, 社区 … — not one
      above it: the street's unit is the street's staff's) to handle.

    A superuser has all that are not archived."""
    handle_next = Q(step=Step.REFER)
    studio_next = ~handle_next & ~Q(step=Step.ARCHIVE)
    paths = granted_paths(user)
    if paths is None:
        return ~Q(step=Step.ARCHIVE)
    q = Q(pk__in=[])
    orgs = granted_organization_ids(user)
    if orgs:
        q |= studio_next & Q(studio__organization__in=orgs)
        q |= handle_next & Q(referred_to__organization__in=orgs)
    if paths:
        regions = visible_regions(user).values("id")
        q |= Q(region__in=regions) & studio_next & Q(studio__isnull=True)
        q |= handle_next & Q(referred_to__organization__isnull=True, referred_to__region__in=regions)
    return q


def appeals_waiting_for(user: AnyUser) -> QuerySet[Appeal]:
    """To-do: requests waiting at the user's step, the earliest deadline first."""
    return appeal_list(user=user, filters=AppealFilters(mine=True))


def appeals_overdue_waiting_for(user: AnyUser) -> QuerySet[Appeal]:
    """To-do: of those, the ones past their step's deadline."""
    return appeal_list(user=user, filters=AppealFilters(mine=True, overdue=True))


def appeals_overdue_in_scope(user: AnyUser) -> QuerySet[Appeal]:
    """To-do of those who supervise (督办): every request in scope past its step's deadline."""
    return appeal_list(user=user, filters=AppealFilters(overdue=True))


def return_calls_due(qs: QuerySet[Appeal], on: datetime.date | None = None) -> QuerySet[Appeal]:
    """Archived requests whose return call (回访, the working day after closing) is due by ``on``
    (today) and not yet done."""
    return qs.filter(
        step=Step.ARCHIVE,
        return_call_done_at__isnull=True,
        return_call_due_on__lte=on or timezone.localdate(),
    )


def overdue(qs: AppealsQS, on: datetime.date | None = None) -> AppealsQS:
    """Requests not archived whose pending step is past its deadline."""
    return qs.exclude(step=Step.ARCHIVE).filter(due_on__lt=on or timezone.localdate())


def get_appeal_for_user(*, user: AnyUser, pk: int | str) -> Appeal:
    return get_visible_or_404(
        Appeal.objects.select_related("studio__organization", "region", "referred_to", "person").defer(
            "person__id_number", "person__phone", "person__contact_phone"
        ),
        user,
        pk=pk,
    )


@dataclass
class TimelineRow:
    step: str
    label: str
    due_on: datetime.date | None
    done_at: datetime.datetime | None
    actor: str
    note: str
    state: str  # done, late (done after its deadline), overdue (pending past deadline), pending, future


def appeal_timeline(appeal: Appeal, today: datetime.date | None = None) -> list[TimelineRow]:
    """All six steps with their deadlines: done ones, the pending one, and those still ahead
    (their deadline estimated from the pending step's)."""
    today = today or timezone.localdate()
    rows: list[TimelineRow] = []
    by_step = {s.step: s for s in appeal.steps.all()}
    estimate: datetime.date | None = None
    for value in STEP_ORDER:
        s = by_step.get(value)
        label = str(Step(value).label)
        if s is None:
            estimate = add_working_days(estimate, step_limit(value, appeal.category)) if estimate else None
            rows.append(TimelineRow(value, label, estimate, None, "", "", "future"))
            continue
        if s.done_at is not None:
            late = timezone.localdate(s.done_at) > s.due_on
            rows.append(
                TimelineRow(
                    value, label, s.due_on, s.done_at, s.actor_name, s.note, "late" if late else "done"
                )
            )
        else:
            state = "overdue" if s.due_on < today else "pending"
            rows.append(TimelineRow(value, label, s.due_on, None, "", "", state))
            estimate = s.due_on
    return rows


@dataclass
class Supervised:
    count: int
    last: datetime.datetime


def supervised(appeal_ids: list[int]) -> dict[int, Supervised]:
    """How often and when last each of a page of requests was supervised (督办), one query."""
    rows = (
        AppealSupervision.objects.filter(appeal_id__in=appeal_ids)
        .values("appeal_id")
        .annotate(n=Count("id"), last=Max("at"))
        .order_by()
    )
    return {r["appeal_id"]: Supervised(r["n"], r["last"]) for r in rows}


def appeal_supervisions(appeal: Appeal) -> list[AppealSupervision]:
    return list(appeal.supervisions.select_related("by").order_by("at", "id"))


def appeal_return_calls(appeal: Appeal) -> list[ReturnCall]:
    return list(appeal.return_calls.select_related("by").order_by("at", "id"))


def next_actor(appeal: Appeal) -> str:
    """Who must act next on a request, in words: the studio (or, without one, the social workers
    of its area) for 接待, 转办, 反馈 and 归档; the unit it was referred to for 处理; and after
    archiving, whoever calls back (回访) while the return call is due."""
    if appeal.step == Step.ARCHIVE:
        if appeal.return_call_due_on and appeal.return_call_done_at is None:
            return _("回访：%(who)s（%(due)s前）") % {
                "who": _front_desk(appeal),
                "due": appeal.return_call_due_on.isoformat(),
            }
        return ""
    pending = STEP_ORDER[STEP_ORDER.index(appeal.step) + 1]
    if pending == Step.HANDLE and appeal.referred_to is not None:
        return who_acts_for(appeal.referred_to)
    return _front_desk(appeal)


def _front_desk(appeal: Appeal) -> str:
    if appeal.studio is not None:
        return str(appeal.studio.organization.name)
    return _("%(region)s的社工") % {"region": appeal.region.name}


@dataclass
class InquiryPoint:
    """Where a requester asks about a request by its number (until the resident portal exists)."""

    name: str
    phone: str
    address: str


def inquiry_point(appeal: Appeal) -> InquiryPoint:
    """The studio (its phone and address), or, for a request taken outside a studio, the nearest
    office unit answering for the request's area (its phone)."""
    if appeal.studio is not None:
        org = appeal.studio.organization
        return InquiryPoint(org.name, org.contact_phone, org.address)
    ids = [int(p) for p in appeal.region.path.strip("/").split("/") if p][::-1]
    units = {
        u.region_id: u
        for u in ResponsibilityUnit.objects.filter(region_id__in=ids, active=True, organization__isnull=True)
        .exclude(contact_phone="")
        .order_by("-id")
    }
    unit = next((units[i] for i in ids if i in units), None)
    if unit is not None:
        return InquiryPoint(unit.name, unit.contact_phone, "")
    return InquiryPoint(appeal.region.name, "", "")


def studio_list(*, user: AnyUser) -> QuerySet[Studio]:
    return (
        Studio.objects.visible_to(user)
        .select_related("organization", "region")
        .annotate(
            appeal_count=Count("appeals", distinct=True),
            open_count=Count("appeals", filter=~Q(appeals__step=Step.ARCHIVE), distinct=True),
        )
        .order_by("region__code", "organization__name")
    )


def get_studio_for_user(*, user: AnyUser, pk: int | str) -> Studio:
    return get_visible_or_404(Studio.objects.select_related("organization", "region"), user, pk=pk)


def studio_choices(*, user: AnyUser) -> list[Studio]:
    return list(Studio.objects.visible_to(user).select_related("organization").order_by("organization__name"))


def unit_choices(appeal: Appeal) -> list[ResponsibilityUnit]:
    from .services import units_for

    return list(units_for(appeal))


def steps_overdue(*, user: AnyUser) -> QuerySet[AppealStep]:
    return AppealStep.objects.visible_to(user).filter(done_at__isnull=True, due_on__lt=timezone.localdate())
