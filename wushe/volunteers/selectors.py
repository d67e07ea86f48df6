"""Every read of teams, volunteers, records and proofs, scoped through ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Count, DecimalField, ExpressionWrapper, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404
from wushe.registry.subjects import Subject, any_of, subject_q

from .models import EntryKind, Proof, RecordStatus, ServiceRecord, Team, Volunteer, VolunteerEntry

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=1))


def team_list(*, user: AnyUser, q: str = "", region: Region | None = None) -> QuerySet[Team]:
    qs = Team.objects.visible_to(user).select_related("organization", "region", "sponsor")
    if region is not None:
        qs = qs.in_region(region)
    if q:
        qs = qs.filter(organization__name__icontains=q.strip())
    return qs.annotate(
        volunteer_count=Count("volunteers", filter=Q(volunteers__active=True), distinct=True),
    ).order_by("code")


def team_hours(team_ids: list[int]) -> dict[int, Decimal]:
    """Verified hours per team, one grouped query."""
    rows = (
        ServiceRecord.objects.filter(team_id__in=team_ids, status=RecordStatus.VERIFIED)
        .values_list("team_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    return dict(rows)


def get_team_for_user(*, user: AnyUser, pk: int | str) -> Team:
    return get_visible_or_404(Team.objects.select_related("organization", "region", "sponsor"), user, pk=pk)


@dataclass
class VolunteerFilters:
    q: str = ""
    team: int | None = None
    region: Region | None = None
    subject: Subject = Subject()  # the volunteer profiles of a registered person (or household)


def volunteer_list(*, user: AnyUser, filters: VolunteerFilters | None = None) -> QuerySet[Volunteer]:
    f = filters or VolunteerFilters()
    qs = Volunteer.objects.visible_to(user).select_related("team__organization", "region")
    if f.subject:
        qs = qs.filter(subject_q(f.subject, household=None))
    if f.region is not None:
        qs = qs.in_region(f.region)
    if f.team:
        qs = qs.filter(team_id=f.team)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q.strip()) | Q(number__iexact=f.q.strip()))
    verified = Q(records__status=RecordStatus.VERIFIED)
    return qs.annotate(verified_hours=Coalesce(Sum("records__hours", filter=verified), ZERO)).order_by(
        "number"
    )


def get_volunteer_for_user(*, user: AnyUser, pk: int | str) -> Volunteer:
    return get_visible_or_404(Volunteer.objects.select_related("team__organization", "region"), user, pk=pk)


def volunteer_totals(volunteer: Volunteer) -> dict[str, Any]:
    agg = volunteer.records.aggregate(
        verified=Coalesce(Sum("hours", filter=Q(status=RecordStatus.VERIFIED)), ZERO),
        pending=Coalesce(Sum("hours", filter=Q(status=RecordStatus.PENDING)), ZERO),
        # a corrected record and its reversal are not services: the count leaves both out
        count=Count(
            "id", filter=Q(status=RecordStatus.VERIFIED, corrects__isnull=True, reversal__isnull=True)
        ),
    )
    return agg


def volunteer_records(volunteer: Volunteer, limit: int = 50) -> list[ServiceRecord]:
    return list(
        volunteer.records.select_related(
            "verified_by", "logged_by", "reversal", "volunteer", "team"
        ).order_by("-on", "-id")[:limit]
    )


def volunteer_entries(volunteer: Volunteer) -> dict[str, list[VolunteerEntry]]:
    """The volunteer's training, awards and evaluations, by kind, latest first."""
    out: dict[str, list[VolunteerEntry]] = {kind: [] for kind in EntryKind.values}
    for entry in volunteer.entries.select_related("recorded_by").order_by("-on", "-id")[:300]:
        out[entry.kind].append(entry)
    return out


def proof_entries(proof: Proof) -> dict[str, list[VolunteerEntry]]:
    """The training and awards a proof names: those of its period (up to its date)."""
    qs = VolunteerEntry.objects.filter(
        volunteer_id=proof.volunteer_id,
        kind__in=[EntryKind.TRAINING, EntryKind.AWARD],
        on__lte=proof.period_end or proof.issued_on,
    )
    if proof.period_start:
        qs = qs.filter(on__gte=proof.period_start)
    out: dict[str, list[VolunteerEntry]] = {EntryKind.TRAINING: [], EntryKind.AWARD: []}
    for entry in qs.order_by("on", "id")[:100]:
        out[entry.kind].append(entry)
    return out


def service_of(*, user: AnyUser, subject: Subject) -> QuerySet[ServiceRecord]:
    """The volunteer service a person (or a household's members) gave — as a registered
    volunteer — or received, newest first."""
    # the volunteers who are the subject as an array, not a join (``any_of``): ORed with the
    # records the subject received, each side is read from its own index
    given = any_of("volunteer", Volunteer.objects.filter(subject_q(subject, household=None)).values("pk"))
    received = subject_q(subject, person="recipient", household=None)
    return (
        ServiceRecord.objects.visible_to(user)
        .filter(given | received)
        .annotate(gave=ExpressionWrapper(given, output_field=BooleanField()))
        .select_related("volunteer", "team__organization")
        .order_by("-on", "-id")
    )


def pending_records(*, user: AnyUser, team: Team | None = None) -> QuerySet[ServiceRecord]:
    qs = ServiceRecord.objects.visible_to(user).filter(status=RecordStatus.PENDING)
    if team is not None:
        qs = qs.filter(team=team)
    return qs.select_related("volunteer", "team__organization", "logged_by").order_by("on", "id")


def _led_organizations(user: AnyUser) -> QuerySet[Any]:
    """The organizations of the teams the user leads (granted 志愿服务队队长 on them)."""
    return RoleGrant.objects.filter(user_id=user.pk or 0, role=Role.TEAM_LEADER).values("organization_id")


def records_to_verify(user: AnyUser) -> QuerySet[ServiceRecord]:
    """To-do: hours waiting for the user's verification — the pending records of the teams the
    user leads (a superuser: of every team), the oldest first."""
    qs = pending_records(user=user)
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(team__organization__in=_led_organizations(user))


def led_team_ids(user: AnyUser) -> list[int]:
    """The teams the user leads (at most two: enough to know whether there is one)."""
    qs = Team.objects.visible_to(user)
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(organization__in=_led_organizations(user))
    return list(qs.order_by("code").values_list("pk", flat=True)[:2])


def get_record_for_user(*, user: AnyUser, pk: int | str) -> ServiceRecord:
    return get_visible_or_404(
        ServiceRecord.objects.select_related("volunteer", "team__organization"), user, pk=pk
    )


def get_entry_for_user(*, user: AnyUser, pk: int | str) -> VolunteerEntry:
    """A training, award or evaluation on a volunteer's record, in the user's scope (else 404)."""
    return get_visible_or_404(VolunteerEntry.objects.select_related("volunteer", "team"), user, pk=pk)


def get_proof_for_user(*, user: AnyUser, pk: int | str) -> Proof:
    return get_visible_or_404(
        Proof.objects.select_related("volunteer", "team__organization", "issued_by"), user, pk=pk
    )
