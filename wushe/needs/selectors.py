"""Reads of needs and problems, scoped to the user; matching suggestions; the record sets the
figures count (``metrics.py`` and a drill-down share them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.core.models import SATISFIED_VALUES, Region
from wushe.core.scoping import (
    ScopedQuerySet,
    get_visible_or_404,
    granted_organization_ids,
    granted_paths,
    visible_regions,
)
from wushe.registry.models import Person, PersonStatus, Relation
from wushe.registry.selectors import heads_prefetch
from wushe.registry.subjects import Subject, subject_q

from .models import (
    OPEN_STATUSES,
    Need,
    NeedCategory,
    NeedStatus,
    NeedStep,
    Problem,
    ProblemStatus,
    Referral,
    ReferralState,
)

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def category_list() -> list[NeedCategory]:
    return list(NeedCategory.objects.filter(active=True).order_by("order", "code"))


def category_resolve(value: NeedCategory | str | int | None, field: str = "category") -> NeedCategory:
    if isinstance(value, NeedCategory):
        return value
    text = str(value or "").strip()
    category = (
        NeedCategory.objects.filter(active=True, code=text).first()
        or NeedCategory.objects.filter(active=True, name=text).first()
        or (NeedCategory.objects.filter(active=True, pk=int(text)).first() if text.isdigit() else None)
    )
    if category is None:
        raise ValidationError({field: _("未知的需求类别：%(c)s") % {"c": text or "—"}})
    return category


# ---- the need list ---------------------------------------------------------------------------


@dataclass
class NeedFilters:
    """The one filter definition of the need list (page and API)."""

    region: Region | None = None
    category: str = ""
    status: str = ""
    urgency: str = ""
    overdue: bool = False
    unit: int | None = None
    q: str = ""
    mine: bool = False  # assigned to the user's units or referred to the user's organization
    due_soon: bool = False  # open, the deadline today or within due_soon_days()
    subject: Subject = Subject()  # a person's or a household's needs (the 360° pages' full list)


def _base_needs(user: AnyUser) -> ScopedQuerySet[Need]:
    return Need.objects.visible_to(user).select_related(
        "region", "region__parent", "category", "responsible_unit", "referred_to", "person"
    )


def need_list(*, user: AnyUser, filters: NeedFilters | None = None) -> QuerySet[Need]:
    f = filters or NeedFilters()
    qs = (
        _base_needs(user)
        .select_related("household", "household__region")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .prefetch_related(heads_prefetch("household"))  # a household's need names the household
    )
    if f.subject:
        qs = qs.filter(subject_q(f.subject))
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.overdue:
        qs = overdue_needs(qs)
    if f.unit:
        qs = qs.filter(responsible_unit_id=f.unit)
    if f.q:
        qs = qs.filter(description__icontains=f.q.strip())
    if f.mine:
        qs = assigned_to(qs, user)
    if f.due_soon:
        qs = due_soon(qs)
    if f.overdue or f.due_soon:  # the work in the order it falls due
        return qs.order_by("deadline", "id")
    return qs.order_by("-reported_on", "-id")


def get_need_for_user(*, user: AnyUser, pk: int | str) -> Need:
    qs = _base_needs(user).select_related(
        "household", "household__region", "visit", "resource", "project", "created_by"
    )
    return get_visible_or_404(
        qs.defer("person__id_number", "person__phone", "person__contact_phone"), user, pk=pk
    )


def need_steps(*, need: Need) -> list[NeedStep]:
    return list(need.steps.select_related("by").order_by("at", "id"))


# ---- referrals ----------------------------------------------------------------------------------

# A referral waits for its organization while the organization has neither accepted nor returned
# it and the need is still 已对接 (a need closed meanwhile, 无法满足, waits for nobody).
WAITING = Q(state=ReferralState.WAITING, need__status=NeedStatus.MATCHED)


def referrals_waiting(*, user: AnyUser) -> QuerySet[Referral]:
    """The referrals waiting for the organizations the user is granted on ("referrals waiting for
    my organization"; ``WAITING``), oldest first. Region users, who act for no organization,
    have none."""
    return (
        Referral.objects.filter(WAITING, organization_id__in=granted_organization_ids(user))
        .select_related("need__category", "need__region", "organization")
        .order_by("referred_at", "id")
    )


def referrals_returned(*, user: AnyUser, since: datetime.date | None = None) -> QuerySet[Referral]:
    """Referrals returned by an organization whose need is still 待对接 (to refer elsewhere), in
    the user's scope."""
    qs = Referral.objects.visible_to(user).filter(
        state=ReferralState.RETURNED, need__status=NeedStatus.TO_MATCH, need__referred_to__isnull=True
    )
    if since is not None:
        qs = qs.filter(answered_at__date__gte=since)
    return qs.select_related("need__category", "need__region", "organization").order_by("-answered_at")


@dataclass
class ReferralFilters:
    """The one filter definition of an organization's referral list: by state ("" = current:
    waiting or accepted)."""

    state: str = ""


def referral_list(*, user: AnyUser, filters: ReferralFilters | None = None) -> QuerySet[Referral]:
    """The referrals to the user's organizations (region users: those of their scope)."""
    f = filters or ReferralFilters()
    qs = Referral.objects.visible_to(user).select_related(
        "need__category",
        "need__region",
        "need__person",
        "need__household",
        "organization",
        "resource",
        "project",
    )
    qs = qs.defer("need__person__id_number", "need__person__phone", "need__person__contact_phone")
    if f.state == ReferralState.WAITING:
        qs = qs.filter(WAITING)
    elif f.state in (ReferralState.ACCEPTED, ReferralState.RETURNED):
        qs = qs.filter(state=f.state)
    else:
        qs = qs.filter(state__in=[ReferralState.WAITING, ReferralState.ACCEPTED])
    return qs.order_by("-referred_at", "-id")


def get_referral_for_user(*, user: AnyUser, pk: int | str) -> Referral:
    return get_visible_or_404(Referral.objects.select_related("need", "organization"), user, pk=pk)


def need_referrals(*, need: Need) -> list[Referral]:
    """Every referral of the need, the current one first, with who referred and who answered."""
    return list(
        need.referrals.select_related(
            "organization", "resource", "project", "referred_by", "answered_by"
        ).order_by("-referred_at", "-id")
    )


def need_contact_person(need: Need, *, encrypted: bool = False) -> Person | None:
    """Who to reach about a need: its person, else the head of its household (else its first
    active member). Masked fields only unless ``encrypted`` (the reveal service)."""
    if need.person_id:
        qs = Person.objects.filter(pk=need.person_id)
    elif need.household_id:
        qs = Person.objects.filter(household_id=need.household_id, status=PersonStatus.ACTIVE).order_by(
            Case(When(relation_to_head=Relation.HEAD, then=0), default=1), "id"
        )
    else:
        return None
    if not encrypted:
        qs = qs.defer("id_number", "phone", "contact_phone")
    return qs.select_related("household").first()


# ---- the record sets the figures count ------------------------------------------------------


def _in_period(
    qs: QuerySet[Any], field: str, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Any]:
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


def needs_registered(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Need]:
    return _in_period(qs, "reported_on", start, end)


def needs_met(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Need]:
    return qs.filter(Q(status=NeedStatus.MET) & _moment_q("met_at", start, end))


NeedsQS = TypeVar("NeedsQS", bound=QuerySet[Need])


def overdue_needs(qs: NeedsQS, as_of: datetime.date | None = None) -> NeedsQS:
    """Open needs whose deadline has passed (as of a day, today by default)."""
    return qs.filter(status__in=OPEN_STATUSES, deadline__lt=as_of or timezone.localdate())


# ---- the user's own work (the home's to-dos and the list's "mine" filter) --------------------

DEFAULT_DUE_SOON_DAYS = 7


def due_soon_days() -> int:
    """How many days ahead a deadline counts as due soon (WUSHE_DUE_SOON_DAYS)."""
    return int(getattr(settings, "WUSHE_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


def due_soon(qs: NeedsQS, as_of: datetime.date | None = None) -> NeedsQS:
    """Open needs whose deadline is today or within the next ``due_soon_days()`` days."""
    today = as_of or timezone.localdate()
    end = today + datetime.timedelta(days=due_soon_days())
    return qs.filter(status__in=OPEN_STATUSES, deadline__gte=today, deadline__lte=end)


def assigned_to(qs: NeedsQS, user: AnyUser) -> NeedsQS:
    """Needs the user answers for: their responsible unit sits in the user's regions (the unit
    of the community or grid the user works in — not the street's station above it), or is the
    user's organization, or the need is referred to the user's organization. A superuser
    answers for all."""
    paths = granted_paths(user)
    if paths is None:
        return qs
    q = Q(pk__in=[])
    if paths:
        q |= Q(responsible_unit__region__in=visible_regions(user).values("id"))
    orgs = granted_organization_ids(user)
    if orgs:
        q |= Q(responsible_unit__organization__in=orgs) | Q(referred_to__in=orgs)
    return qs.filter(q)


def needs_overdue_for(user: AnyUser) -> QuerySet[Need]:
    """To-do: the user's (and their units') needs past their deadline."""
    return need_list(user=user, filters=NeedFilters(mine=True, overdue=True))


def needs_due_soon_for(user: AnyUser) -> QuerySet[Need]:
    """To-do: the user's (and their units') needs falling due within ``due_soon_days()``."""
    return need_list(user=user, filters=NeedFilters(mine=True, due_soon=True))


def problems_found(
    qs: QuerySet[Problem], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Problem]:
    return _in_period(qs, "found_on", start, end)


def problems_resolved(
    qs: QuerySet[Problem], start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Problem]:
    """Problems found in the period that have been resolved."""
    return problems_found(qs, start, end).filter(status=ProblemStatus.RESOLVED)


def rated(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.exclude(satisfaction="")


def satisfied(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(satisfaction__in=SATISFIED_VALUES)


def need_counts(qs: QuerySet[Need], field: str) -> dict[Any, int]:
    return dict(qs.values_list(field).annotate(n=Count("id")).values_list(field, "n").order_by())


# ---- problems ---------------------------------------------------------------------------------


@dataclass
class ProblemFilters:
    region: Region | None = None
    status: str = ""
    subject: Subject = Subject()


def problem_list(*, user: AnyUser, filters: ProblemFilters | None = None) -> QuerySet[Problem]:
    f = filters or ProblemFilters()
    qs = (
        Problem.objects.visible_to(user)
        .select_related("region", "region__parent", "person", "household", "household__region")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .prefetch_related(heads_prefetch("household"))
    )
    if f.subject:
        qs = qs.filter(subject_q(f.subject))
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.status:
        qs = qs.filter(status=f.status)
    return qs.order_by("-found_on", "-id")


def get_problem_for_user(*, user: AnyUser, pk: int | str) -> Problem:
    return get_visible_or_404(
        Problem.objects.select_related("region", "person", "visit").defer(
            "person__id_number", "person__phone", "person__contact_phone"
        ),
        user,
        pk=pk,
    )


# ---- the per-unit responsibility page ---------------------------------------------------------


@dataclass
class UnitWork:
    open: int
    overdue: int
    done: int


def unit_needs(*, user: AnyUser, unit: Any, show: str = "open") -> QuerySet[Need]:
    qs = need_list(user=user, filters=NeedFilters(unit=unit.pk))
    if show == "overdue":
        return overdue_needs(qs)
    if show == "done":
        return qs.exclude(status__in=OPEN_STATUSES)
    return qs.filter(status__in=OPEN_STATUSES)


def unit_work(*, user: AnyUser, unit: Any) -> UnitWork:
    today = timezone.localdate()
    row = (
        Need.objects.visible_to(user)
        .filter(responsible_unit=unit)
        .aggregate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
            done=Count("id", filter=~Q(status__in=OPEN_STATUSES)),
        )
    )
    return UnitWork(open=row["open"], overdue=row["overdue"], done=row["done"])


def unit_work_counts(*, user: AnyUser, unit_ids: list[int]) -> dict[int, UnitWork]:
    """Open / overdue / done per unit for a page of units, in one grouped query."""
    today = timezone.localdate()
    rows = (
        Need.objects.visible_to(user)
        .filter(responsible_unit_id__in=unit_ids)
        .values("responsible_unit_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
            done=Count("id", filter=~Q(status__in=OPEN_STATUSES)),
        )
        .order_by()
    )
    out = {uid: UnitWork(0, 0, 0) for uid in unit_ids}
    for r in rows:
        out[r["responsible_unit_id"]] = UnitWork(open=r["open"], overdue=r["overdue"], done=r["done"])
    return out


# ---- the same record sets, counted together (the figures read each table once) ---------------


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _moment_q(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    """``field`` (a datetime) on a local day within ``start``–``end`` (both included): compared
    with the local midnights around the days, so no row is converted to the local time zone and
    an index on the field serves (the condition of ``field__date`` between the days)."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": _local_midnight(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": _local_midnight(end + datetime.timedelta(days=1))})
    return q


def _period_q(field: str, start: datetime.date | None, end: datetime.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def need_figures(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, int]:
    """Registered, met, the households of the met ones, overdue, and the ratings of the met ones,
    in one query: the conditions are those of ``needs_registered``, ``needs_met``,
    ``overdue_needs``, ``rated``, ``satisfied``."""
    met = Q(status=NeedStatus.MET) & _moment_q("met_at", start, end)
    rated_met = met & ~Q(satisfaction="")
    row = qs.aggregate(
        registered=Count("id", filter=_period_q("reported_on", start, end)),
        met=Count("id", filter=met),
        households=Count("household", distinct=True, filter=met),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=end or timezone.localdate())),
        rated=Count("id", filter=rated_met),
        satisfied=Count("id", filter=rated_met & Q(satisfaction__in=SATISFIED_VALUES)),
    )
    return {k: v or 0 for k, v in row.items()}


def need_breakdown(
    qs: QuerySet[Need], start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[tuple[str, str], int]:
    """Needs registered in the period by (category code, status), one grouped query."""
    rows = (
        needs_registered(qs, start, end)
        .values_list("category__code", "status")
        .annotate(n=Count("id"))
        .values_list("category__code", "status", "n")
        .order_by()
    )
    return {(c, s): n for c, s, n in rows}


def problem_figures(
    qs: QuerySet[Problem], start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, int]:
    """Found, resolved, and the ratings of the resolved ones (``problems_found``,
    ``problems_resolved``, ``rated``, ``satisfied``), in one query."""
    found = _period_q("found_on", start, end)
    resolved = found & Q(status=ProblemStatus.RESOLVED)
    rated_resolved = resolved & ~Q(satisfaction="")
    row = qs.aggregate(
        found=Count("id", filter=found),
        resolved=Count("id", filter=resolved),
        rated=Count("id", filter=rated_resolved),
        satisfied=Count("id", filter=rated_resolved & Q(satisfaction__in=SATISFIED_VALUES)),
    )
    return {k: v or 0 for k, v in row.items()}
