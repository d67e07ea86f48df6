"""Every read of studios and requests, scoped through ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wushe.core.models import Region
from wushe.core.scoping import get_visible_or_404
from wushe.partners.models import ResponsibilityUnit
from wushe.registry.subjects import Subject, subject_q

from .calendar import add_working_days, step_limit
from .models import STEP_ORDER, Appeal, AppealStep, Step, Studio


@dataclass
class AppealFilters:
    """The one filter definition of the request list (page and API)."""

    q: str = ""
    step: str = ""
    category: str = ""
    overdue: bool = False
    studio: int | None = None
    region: Region | None = None
    subject: Subject = Subject()  # a person's requests, or those of a household's members


def appeal_list(*, user: Any, filters: AppealFilters | None = None) -> QuerySet[Appeal]:
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
    if f.q:
        text = f.q.strip()
        qs = qs.filter(
            Q(number__iexact=text) | Q(requester_name__icontains=text) | Q(content__icontains=text)
        )
    if f.overdue:
        return qs.order_by("due_on", "id")
    return qs.order_by("-registered_at", "-id")


def overdue(qs: QuerySet[Appeal], on: datetime.date | None = None) -> QuerySet[Appeal]:
    """Requests not archived whose pending step is past its deadline."""
    return qs.exclude(step=Step.ARCHIVE).filter(due_on__lt=on or timezone.localdate())


def get_appeal_for_user(*, user: Any, pk: Any) -> Appeal:
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


def studio_list(*, user: Any) -> QuerySet[Studio]:
    return (
        Studio.objects.visible_to(user)
        .select_related("organization", "region")
        .annotate(
            appeal_count=Count("appeals", distinct=True),
            open_count=Count("appeals", filter=~Q(appeals__step=Step.ARCHIVE), distinct=True),
        )
        .order_by("region__code", "organization__name")
    )


def get_studio_for_user(*, user: Any, pk: Any) -> Studio:
    return get_visible_or_404(Studio.objects.select_related("organization", "region"), user, pk=pk)


def studio_choices(*, user: Any) -> list[Studio]:
    return list(Studio.objects.visible_to(user).select_related("organization").order_by("organization__name"))


def unit_choices(appeal: Appeal) -> list[ResponsibilityUnit]:
    from .services import units_for

    return list(units_for(appeal))


def steps_overdue(*, user: Any) -> QuerySet[AppealStep]:
    return AppealStep.objects.visible_to(user).filter(done_at__isnull=True, due_on__lt=timezone.localdate())
