"""Every read of the residents' own door: the communities a resident may pick (and the one an
address names), a submission found by number and check code, what the check page shows of it,
the waiting submissions a worker or studio may accept (scoped), and the ratings of a visit or a
service record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import check_password
from django.db.models import Q, QuerySet
from django.utils import timezone

from wushe.appeals.models import Appeal, AppealStep, Step
from wushe.core.forms import region_label
from wushe.core.models import Region, RegionLevel
from wushe.core.scoping import get_visible_or_404

from .models import RatingLink, Submission, SubmissionStatus
from .services import normalise_code, token_hash

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

# ---- the public form --------------------------------------------------------------------------


def communities() -> QuerySet[Region]:
    return Region.objects.filter(level=RegionLevel.COMMUNITY).select_related("parent").order_by("path")


def community_choices() -> list[tuple[str, str]]:
    return [(str(r.pk), region_label(r)) for r in communities()]


def propose_community(address: str) -> Region | None:
    """The community whose name the address contains (the longest name wins; none when two
    communities of that name exist or nothing matches)."""
    text = (address or "").replace(" ", "")
    if not text:
        return None
    found = [r for r in communities() if r.name and r.name in text]
    if not found:
        return None
    longest = max(len(r.name) for r in found)
    best = [r for r in found if len(r.name) == longest]
    if len(best) > 1:  # the street named as well decides between namesakes
        best = [r for r in best if r.parent is not None and r.parent.name in text] or best
    return best[0] if len(best) == 1 else None


# ---- the check page ---------------------------------------------------------------------------


def submission_by_number_and_code(number: str, code: str) -> Submission | None:
    """The submission whose number (or its request's SQ number) is ``number`` and whose check
    code is ``code``; ``None`` for a wrong pair, whichever half is wrong."""
    number = (number or "").strip().upper()[:20]
    code = normalise_code(code)
    if not number or not code:
        return None
    submission = (
        Submission.objects.select_related("community", "studio__organization", "appeal")
        .filter(Q(number=number) | Q(appeal__number=number))
        .first()
    )
    if submission is None:
        check_password(code, "")  # the same work either way: no timing tells which half was wrong
        return None
    return submission if check_password(code, submission.code_hash) else None


@dataclass(frozen=True)
class StepShown:
    label: str
    done_on: Any
    unit: str


@dataclass(frozen=True)
class Status:
    number: str
    state: str
    submitted_on: Any
    steps: list[StepShown]
    may_rate: bool
    rated: bool
    satisfaction: str
    reject_reason: str


def _unit(appeal: Appeal, step: str) -> str:
    if step in (Step.REFER, Step.HANDLE) and appeal.referred_to is not None:
        return str(appeal.referred_to.name)
    if appeal.studio is not None:
        return str(appeal.studio.organization.name)
    return str(appeal.region.name)


def status_of(submission: Submission) -> Status:
    """What the resident sees: the state, the steps done (name, date, the unit's name only)."""
    appeal = submission.appeal
    if appeal is None:
        return Status(
            number=submission.number,
            state=submission.get_status_display(),
            submitted_on=timezone.localdate(submission.submitted_at),
            steps=[],
            may_rate=False,
            rated=False,
            satisfaction="",
            reject_reason=submission.get_reject_reason_display() if submission.reject_reason else "",
        )
    appeal = Appeal.objects.select_related("studio__organization", "referred_to", "region").get(pk=appeal.pk)
    done = AppealStep.objects.filter(appeal=appeal, done_at__isnull=False).order_by("done_at", "id")
    steps = [
        StepShown(s.get_step_display(), timezone.localdate(s.done_at), _unit(appeal, s.step)) for s in done
    ]
    return Status(
        number=appeal.number,
        state=str(Step(appeal.step).label),
        submitted_on=timezone.localdate(submission.submitted_at),
        steps=steps,
        may_rate=appeal.step == Step.FEEDBACK and submission.rated_at is None,
        rated=submission.rated_at is not None,
        satisfaction=appeal.get_satisfaction_display() if submission.rated_at else "",
        reject_reason="",
    )


# ---- the workers' side ------------------------------------------------------------------------


def submissions_waiting(*, user: AnyUser) -> QuerySet[Submission]:
    """Submissions waiting for acceptance that the user may accept: those of its communities, and
    for a studio those of the communities it serves; oldest first."""
    return (
        Submission.objects.visible_to(user)
        .filter(status=SubmissionStatus.PENDING)
        .select_related("community", "community__parent", "studio__organization")
        .order_by("submitted_at", "id")
    )


def get_submission_for_user(*, user: AnyUser, pk: int | str) -> Submission:
    qs = Submission.objects.select_related("community", "community__parent", "studio__organization", "appeal")
    return get_visible_or_404(qs, user, pk=pk)


def ratings_of(*, user: AnyUser, visit: Any = None, service: Any = None) -> QuerySet[RatingLink]:
    qs = RatingLink.objects.visible_to(user)
    qs = qs.filter(visit=visit) if visit is not None else qs.filter(service=service)
    return qs.order_by("-created_at", "-id")


def link_for_token(token: str) -> RatingLink | None:
    """The link a token opens while it still works (not used, not expired)."""
    link = (
        RatingLink.objects.select_related("visit", "service", "region")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at <= timezone.now():
        return None
    return link
