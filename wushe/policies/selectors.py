"""Every read of 政策找人, scoped: the catalogue is reference data every signed-in user reads; the
people (who qualify, who received what) are seen only within the viewer's regions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from wushe.core.scoping import ScopedQuerySet
from wushe.registry.subjects import EVERYONE, Subject, subject_q

from .models import Policy, PolicyApplication, PolicyMatch, PolicyRun, PolicyRunResult, RunStatus

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def policy_list(*, active_only: bool = False) -> QuerySet[Policy]:
    qs = Policy.objects.all()
    return qs.filter(active=True) if active_only else qs


def get_policy(pk: int) -> Policy:
    policy = Policy.objects.filter(pk=pk).first()
    if policy is None:
        raise Http404
    return policy


def _latest_run_id() -> Subquery:
    """Per match row's policy: the newest finished run that covered it."""
    return Subquery(
        PolicyRunResult.objects.filter(policy=OuterRef("policy"), run__status=RunStatus.DONE)
        .order_by("-run__finished_at", "-run_id")
        .values("run_id")[:1]
    )


def latest_result(policy: Policy) -> PolicyRunResult | None:
    return (
        PolicyRunResult.objects.filter(policy=policy, run__status=RunStatus.DONE)
        .select_related("run")
        .order_by("-run__finished_at", "-run_id")
        .first()
    )


def latest_run() -> PolicyRun | None:
    return PolicyRun.objects.order_by("-requested_at", "-id").first()


def _applied() -> Exists:
    return Exists(
        PolicyApplication.objects.filter(
            policy=OuterRef("policy"), person=OuterRef("person"), revoked_at__isnull=True
        )
    )


def current_matches(records: QuerySet[PolicyMatch]) -> QuerySet[PolicyMatch]:
    """The matches of each policy's last finished run."""
    return records.filter(run_id=_latest_run_id())


def unreached_of(records: QuerySet[PolicyMatch]) -> QuerySet[PolicyMatch]:
    """应享未享: qualified at the last run, not receiving then, nothing put into effect since."""
    return current_matches(records).filter(receiving=False).exclude(_applied())


def unreached(
    *, user: AnyUser, policy: Policy | None = None, subject: Subject = EVERYONE
) -> QuerySet[PolicyMatch]:
    qs = PolicyMatch.objects.visible_to(user)
    if policy is not None:
        qs = qs.filter(policy=policy)
    if subject:
        qs = qs.filter(subject_q(subject, household="household"))
    return (
        unreached_of(qs)
        .select_related("person", "region__parent", "policy", "household")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .order_by("region__path", "person_id", "policy__sort", "policy_id")
    )


def reached(*, user: AnyUser, policy: Policy) -> QuerySet[PolicyMatch]:
    """Qualified at the last run and receiving (then, or put into effect since)."""
    qs = current_matches(PolicyMatch.objects.visible_to(user).filter(policy=policy))
    return (
        qs.filter(Q(receiving=True) | Q(_applied()))
        .select_related("person", "region__parent")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .order_by("region__path", "person_id")
    )


@dataclass(frozen=True)
class ApplicationFilters:
    policy: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    include_revoked: bool = False
    subject: Subject = EVERYONE


def application_list(
    *, user: AnyUser, filters: ApplicationFilters | None = None
) -> ScopedQuerySet[PolicyApplication]:
    f = filters or ApplicationFilters()
    qs = PolicyApplication.objects.visible_to(user)
    if not f.include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    if f.policy:
        qs = qs.filter(policy_id=f.policy)
    if f.start:
        qs = qs.filter(applied_on__gte=f.start)
    if f.end:
        qs = qs.filter(applied_on__lte=f.end)
    if f.subject:
        qs = qs.filter(subject_q(f.subject))
    return (
        qs.select_related("policy", "person", "region__parent", "applied_by")
        .defer("person__id_number", "person__phone", "person__contact_phone")
        .order_by("-applied_on", "-id")
    )


def get_application_for_user(user: AnyUser, pk: int) -> PolicyApplication:
    application = (
        application_list(user=user, filters=ApplicationFilters(include_revoked=True)).filter(pk=pk).first()
    )
    if application is None:
        raise Http404
    return application


def counts_by_policy(user: AnyUser) -> dict[int, dict[str, int]]:
    """Per policy, in the viewer's scope: people it was put into effect for, and unreached."""
    applied = dict(
        PolicyApplication.objects.visible_to(user)
        .filter(revoked_at__isnull=True)
        .values("policy_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("policy_id", "n")
    )
    missing = dict(
        unreached_of(PolicyMatch.objects.visible_to(user))
        .order_by()
        .values("policy_id")
        .annotate(n=Count("id"))
        .values_list("policy_id", "n")
    )
    ids = set(applied) | set(missing)
    return {pk: {"applied": applied.get(pk, 0), "unreached": missing.get(pk, 0)} for pk in ids}


def match_facts(match: Any) -> list[tuple[str, str]]:
    """A match's facts as (name, value) pairs for a page."""
    from .engine import facts_from_json

    out = []
    for name, value in facts_from_json(match.facts).items():
        shown = "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
        out.append((name, shown or "—"))
    return out
