"""Every read of case work, group work and activities, scoped through ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404
from wushe.core.todos import sees_regions
from wushe.partners.models import Organization  # noqa: F401
from wushe.partners.selectors import usable_organizations
from wushe.registry.subjects import EVERYONE, Subject, subject_q

from .models import Activity, ActivityPhoto, Case, CaseStage, Group, GroupSession

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

CasesQS = TypeVar("CasesQS", bound=QuerySet[Case])


@dataclass
class CaseFilters:
    """The one filter definition of the case list (page and API)."""

    q: str = ""
    stage: str = ""
    open_only: bool = False
    mine: bool = False
    due_by: datetime.date | None = None
    follow_up_by: datetime.date | None = None  # closed, its return visit due by then and not made
    region: Region | None = None
    subject: Subject = Subject()  # a person's cases, or those of a household's members


def case_list(*, user: AnyUser, filters: CaseFilters | None = None) -> QuerySet[Case]:
    f = filters or CaseFilters()
    qs = Case.objects.visible_to(user).select_related("person", "region", "organization", "worker")
    qs = qs.defer("person__id_number", "person__phone", "person__contact_phone")
    if f.subject:
        qs = qs.filter(subject_q(f.subject, household=None))
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.open_only:
        qs = qs.exclude(stage=CaseStage.CLOSED)
    if f.mine:
        qs = qs.filter(worker_id=getattr(user, "pk", None))
    if f.due_by is not None:
        qs = qs.filter(next_due__lte=f.due_by)
    if f.follow_up_by is not None:
        qs = follow_ups_due(qs, f.follow_up_by)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q.strip()) | Q(person__name__icontains=f.q.strip()))
    if f.follow_up_by:
        return qs.order_by("follow_up_on", "id")
    if f.mine or f.due_by:
        return qs.order_by("next_due", "id")
    return qs.order_by("-opened_on", "-id")


FOLLOW_UP_WINDOW_DAYS = 30


def follow_ups_due(qs: CasesQS, on: datetime.date) -> CasesQS:
    """Closed cases whose return visit (回访) day has come: on ``on`` or in the
    ``FOLLOW_UP_WINDOW_DAYS`` days before it. A closed case takes no service record, so wushe
    does not know a return visit was made: the case stays on the list for that window (or until
    it is reopened)."""
    since = on - datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    return qs.filter(stage=CaseStage.CLOSED, follow_up_on__gte=since, follow_up_on__lte=on)


def _cases_for(user: AnyUser, **filters: Any) -> QuerySet[Case]:
    """The user's cases: a region worker's own (负责社工), an organization's staff's the
    organization's (the scope already keeps only those)."""
    return case_list(user=user, filters=CaseFilters(mine=sees_regions(user), **filters))


def cases_due_for(user: AnyUser) -> QuerySet[Case]:
    """To-do: the user's open cases whose next step (下次待办日期) is due today or earlier."""
    return _cases_for(user, open_only=True, due_by=timezone.localdate())


def follow_ups_due_for(user: AnyUser) -> QuerySet[Case]:
    """To-do: the user's closed cases whose return visit is due and not made."""
    return _cases_for(user, follow_up_by=timezone.localdate())


def get_case_for_user(*, user: AnyUser, pk: int | str) -> Case:
    return get_visible_or_404(
        Case.objects.select_related("person", "region", "organization", "worker").defer(
            "person__id_number", "person__phone", "person__contact_phone"
        ),
        user,
        pk=pk,
    )


def case_timeline(case: Case) -> tuple[list[Any], list[Any]]:
    steps = list(case.steps.select_related("by").order_by("on", "id"))
    services = list(case.services.select_related("worker").order_by("-on", "-id"))
    return steps, services


def group_list(
    *, user: AnyUser, q: str = "", region: Region | None = None, subject: Subject = EVERYONE
) -> QuerySet[Group]:
    qs = Group.objects.visible_to(user)
    if subject:  # the groups a person (or a household's member) belongs to
        qs = qs.filter(
            pk__in=Group.objects.filter(subject_q(subject, person="members", household=None)).values("pk")
        )
    qs = qs.select_related("region", "organization").annotate(  # type: ignore[assignment]
        member_count=Count("members", distinct=True), session_count=Count("sessions", distinct=True)
    )
    if region is not None:
        qs = qs.in_region(region)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.order_by("-starts_on", "-id")


def get_group_for_user(*, user: AnyUser, pk: int | str) -> Group:
    return get_visible_or_404(Group.objects.select_related("region", "organization"), user, pk=pk)


def sessions_attended(*, user: AnyUser, subject: Subject) -> QuerySet[GroupSession]:
    """The group sessions a person (or a household's members) attended, newest first: the
    activities whose attendance wushe records one by one (a community activity counts its
    participants, not who they were)."""
    attended = GroupSession.objects.filter(subject_q(subject, person="attendees", household=None))
    return (
        GroupSession.objects.visible_to(user)
        .filter(pk__in=attended.values("pk"))
        .select_related("group", "group__region")
        .order_by("-on", "-id")
    )


def group_sessions(group: Group) -> list[GroupSession]:
    return list(group.sessions.annotate(attended=Count("attendees")).order_by("number"))


def group_members(group: Group) -> list[Any]:
    return list(group.members.defer("id_number", "phone", "contact_phone").order_by("name"))


@dataclass
class ActivityFilters:
    q: str = ""
    kind: str = ""
    region: Region | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


def activity_list(*, user: AnyUser, filters: ActivityFilters | None = None) -> QuerySet[Activity]:
    f = filters or ActivityFilters()
    qs = Activity.objects.visible_to(user).select_related("region", "organizer")
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.start:
        qs = qs.filter(on__gte=f.start)
    if f.end:
        qs = qs.filter(on__lte=f.end)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q.strip()) | Q(place__icontains=f.q.strip()))
    return qs.order_by("-on", "-id")


def get_activity_for_user(*, user: AnyUser, pk: int | str) -> Activity:
    return get_visible_or_404(Activity.objects.select_related("region", "organizer"), user, pk=pk)


def get_photo_for_user(*, user: AnyUser, pk: int | str) -> ActivityPhoto:
    return get_visible_or_404(ActivityPhoto.objects.select_related("activity"), user, pk=pk)


def service_organizations(*, user: AnyUser, kinds: tuple[str, ...]) -> list[Organization]:
    return list(usable_organizations(user).filter(kind__in=kinds).order_by("kind", "name"))
