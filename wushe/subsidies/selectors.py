"""Every scoped read of the subsidies: applications, rosters, a person's eligibility, the
periodic reviews due, and who qualifies but receives nothing (应享未享)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from wushe.core.models import Region, RegionLevel
from wushe.core.scoping import get_visible_or_404
from wushe.registry.household_tags import valid_on
from wushe.registry.models import DisabilityCertificate, Person, PersonStatus

from .access import street_admin_anywhere
from .eligibility import Eligibility, Rules, add_months, eligibility_many, month_start, person_eligibility
from .models import OPEN_STATUSES, Application, Kind, Roster, Status
from .rosters import Computed, roster_in

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def applications(
    *, user: AnyUser, status: str = "", kind: str = "", region: Region | None = None
) -> QuerySet[Application]:
    qs = Application.objects.visible_to(user).select_related("person", "region")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if region is not None:
        qs = qs.filter(Q(region=region) | Q(region__path__startswith=region.path))
    return qs.order_by("-applied_on", "-pk")


def get_application_for_user(*, user: AnyUser, pk: int) -> Application:
    return get_visible_or_404(Application.objects.select_related("person", "region"), user, pk=pk)


def get_person_for_user(*, user: AnyUser, pk: int) -> Person:
    return get_visible_or_404(Person.objects.select_related("region"), user, pk=pk)


def person_subsidies(*, user: AnyUser, person: Person, month: datetime.date) -> list[Eligibility]:
    """The person's eligibility for both subsidies in ``month`` (the person already visible)."""
    return person_eligibility(person, month=month)


def streets(*, user: AnyUser) -> QuerySet[Region]:
    return Region.objects.visible_to(user).filter(level=RegionLevel.STREET).order_by("code")


def get_region_for_user(*, user: AnyUser, code_or_pk: str) -> Region:
    """A region the user may see, by its 12-digit (or longer) code or its id."""
    text = str(code_or_pk).strip()
    lookup = {"pk": int(text)} if text.isdigit() and len(text) < 12 else {"code": text}
    return get_visible_or_404(Region.objects.all(), user, **lookup)


def rosters(*, user: AnyUser) -> QuerySet[Roster]:
    return Roster.objects.visible_to(user).select_related("region", "approved_by", "paid_by")


def roster(*, user: AnyUser, region: Region, month: datetime.date) -> Computed:
    """The roster of the month for ``region`` (already visible): its street's roster as approved,
    or computed now, narrowed to the region's subtree and the user's scope."""
    return roster_in(region, month, user=user)


def waiting(user: AnyUser) -> QuerySet[Application]:
    """Applications waiting for a step this user may take."""
    statuses: list[str] = []
    if user.has_perm("subsidies.review_county"):
        statuses.append(Status.TOWN_OK)
    if user.has_perm("subsidies.approve_county"):
        statuses.append(Status.CDPF_OK)
    qs = Application.objects.visible_to(user).select_related("person", "region")
    street_q = Q(pk__in=[])
    if street_admin_anywhere(user):
        street_q = Q(status=Status.SUBMITTED)
    return qs.filter(Q(status__in=statuses) | street_q).order_by("applied_on", "pk")


@dataclass(frozen=True)
class Due:
    application: Application
    due_on: datetime.date


def reviews_due(*, user: AnyUser, region: Region | None = None, on: datetime.date | None = None) -> list[Due]:
    """Applications being paid whose periodic review falls due by ``on`` (today): the last review
    (or the approval) plus the rule's cycle."""
    from wushe.core.checks import today

    day = on or today()
    rules = Rules()
    qs = applications(user=user, status=Status.APPROVED, region=region).select_related("person__region")
    out = []
    for a in qs:
        cycle = rules.for_region(a.region, a.kind, day.year).review_months
        last = a.reviewed_on or a.approved_on or a.applied_on
        due = add_months(last.replace(day=1), cycle).replace(day=min(last.day, 28))
        if due <= day:
            out.append(Due(a, due))
    return sorted(out, key=lambda d: (d.due_on, d.application.pk))


@dataclass(frozen=True)
class Unclaimed:
    person: Person
    eligibility: Eligibility


def unclaimed(*, user: AnyUser, region: Region, month: datetime.date) -> list[Unclaimed]:
    """应享未享: certificate holders of the region (visible to the user) who qualify for a subsidy
    in ``month`` and have no application for it in progress or being paid."""
    month = month_start(month)
    holders = (
        Person.objects.visible_to(user)
        .filter(Q(region=region) | Q(region__path__startswith=region.path), status=PersonStatus.ACTIVE)
        .filter(pk__in=DisabilityCertificate.objects.filter(valid_on(month)).values("person_id"))
        .select_related("region")
        .order_by("pk")
    )
    claimed = set(
        Application.objects.filter(status__in=OPEN_STATUSES, person__in=holders).values_list(
            "person_id", "kind"
        )
    )
    rules = Rules()
    out: list[Unclaimed] = []
    batch: list[Person] = []

    def flush() -> None:
        found = eligibility_many(batch, month=month, rules=rules)
        for p in batch:
            for kind in (Kind.LIVING, Kind.NURSING):
                e = found[(p.pk, kind)]
                if e.eligible and (p.pk, kind) not in claimed:
                    out.append(Unclaimed(p, e))
        batch.clear()

    for person in holders.iterator(chunk_size=500):
        batch.append(person)
        if len(batch) >= 500:
            flush()
    if batch:
        flush()
    return out
