"""Every write of home visits. A visit is recorded with its needs and problems in one
transaction: if any part is wrong nothing is written. ``visit_bulk_record`` applies the same
validation to many visits at once (the demo, imports) and inserts them in bulk with their
history rows."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.utils import bulk_create_with_history

from wushe.accounts.models import User
from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core import checks
from wushe.core.bulk import chunked
from wushe.core.history import record_actor
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.needs import services as need_services
from wushe.needs.models import Need, NeedSource, ProblemSource
from wushe.registry.models import Household

from .models import Channel, DoorService, Mood, OfflineReceipt, Visit

COUNT_LABELS = {"leaflets": _lazy("发放宣传资料（份）"), "policies_explained": _lazy("宣讲政策数")}


def count_limit(name: str) -> int:
    """The configured maximum of a visit's count (``WUSHE_VISIT_MAX_LEAFLETS`` / ``…_POLICIES``)."""
    return int(settings.WUSHE_VISIT_MAX_LEAFLETS if name == "leaflets" else settings.WUSHE_VISIT_MAX_POLICIES)


EARLIEST = datetime.date(2000, 1, 1)


@dataclass
class VisitInput:
    """One visit's fields (the six parts of 五门一声), as the form, the API and the demo give them."""

    visited_on: datetime.date
    household: Any = None
    person: Any = None
    channel: str = Channel.HOME
    workers: Sequence[Any] = ()
    volunteers: str = ""
    reached: bool = True
    not_reached_reason: str = ""
    services_done: Sequence[str] = ()
    services_note: str = ""
    policies_explained: int = 0
    policies_note: str = ""
    leaflets: int = 0
    emotional_support: str = ""
    mood: str = ""
    key_problem: str = ""
    plan: str = ""
    resident_words: str = ""
    needs: Sequence[dict[str, Any]] = field(default_factory=list)
    problems: Sequence[dict[str, Any]] = field(default_factory=list)


def _clean(data: VisitInput, acting_user: User | None) -> Visit:
    """Validate one visit and build it (unsaved). Errors name the field."""
    person, household = data.person, data.household
    if person is None and household is None:
        raise ValidationError({"household": _("请指定走访的户或居民")})
    if person is not None and household is None:
        household = person.household
    if person is not None and household is not None and person.household_id not in (None, household.pk):
        raise ValidationError({"person": _("该居民不属于所选的户")})
    region = household.region if household is not None else person.region
    require_region_in_scope(acting_user, region, field="household")
    day = data.visited_on
    if not isinstance(day, datetime.date):
        raise ValidationError({"visited_on": _("请填写走访日期")})
    if day > timezone.localdate():
        raise ValidationError({"visited_on": _("走访日期不能晚于今天")})
    if day < EARLIEST:
        raise ValidationError({"visited_on": _("走访日期不能早于2000年")})
    if data.channel not in Channel.values:
        raise ValidationError({"channel": _("未知的走访方式：%(c)s") % {"c": data.channel}})
    reason = checks.text(data.not_reached_reason, "not_reached_reason", max_length=200)
    if not data.reached and not reason:
        raise ValidationError({"not_reached_reason": _("未敲开家门时请说明原因")})
    services = list(dict.fromkeys(data.services_done or ()))
    unknown = [s for s in services if s not in DoorService.values]
    if unknown:
        raise ValidationError({"services_done": _("未知的上门服务：%(s)s") % {"s": "、".join(unknown)}})
    if data.mood and data.mood not in Mood.values:
        raise ValidationError({"mood": _("未知的情绪状况：%(m)s") % {"m": data.mood}})
    return Visit(
        region=region,
        household=household,
        person=person,
        visited_on=day,
        channel=data.channel,
        volunteers=checks.text(data.volunteers, "volunteers", max_length=200),
        reached=bool(data.reached),
        not_reached_reason=reason,
        services_done=services,
        services_note=checks.text(data.services_note, "services_note", max_length=200),
        policies_explained=checks.count(
            data.policies_explained,
            "policies_explained",
            label=COUNT_LABELS["policies_explained"],
            maximum=count_limit("policies_explained"),
        ),
        policies_note=checks.text(data.policies_note, "policies_note", max_length=200),
        leaflets=checks.count(
            data.leaflets, "leaflets", label=COUNT_LABELS["leaflets"], maximum=count_limit("leaflets")
        ),
        emotional_support=checks.text(data.emotional_support, "emotional_support", max_length=300),
        mood=data.mood or "",
        key_problem=checks.text(data.key_problem, "key_problem", max_length=300),
        plan=checks.text(data.plan, "plan", max_length=300),
        resident_words=checks.text(data.resident_words, "resident_words", max_length=2000),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}{k}": v for k, v in exc.error_dict.items()})
    return ValidationError({prefix.rstrip("."): exc.messages})


def _add_findings(visit: Visit, data: VisitInput, acting_user: User | None) -> None:
    for i, need in enumerate(data.needs):
        try:
            need_services.need_create(
                acting_user=acting_user,
                person=visit.person,
                household=visit.household,
                region=visit.region,
                visit=visit,
                source=NeedSource.VISIT,
                reported_on=visit.visited_on,
                at=need.get("at"),
                **{k: v for k, v in need.items() if k != "at"},
            )
        except ValidationError as exc:
            raise _prefixed(exc, f"needs.{i}.") from None
    for i, problem in enumerate(data.problems):
        try:
            need_services.problem_create(
                acting_user=acting_user,
                person=visit.person,
                household=visit.household,
                region=visit.region,
                visit=visit,
                source=ProblemSource.VISIT,
                found_on=visit.visited_on,
                **problem,
            )
        except ValidationError as exc:
            raise _prefixed(exc, f"problems.{i}.") from None


def _latest_visit_day() -> Subquery:
    """The day of the latest visit of the household at ``OuterRef("pk")`` (None: never visited),
    read from the index on (household, visited_on)."""
    return Subquery(
        Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1]
    )


def household_visit_days(household_ids: Iterable[int | None]) -> None:
    """Set again these households' latest visit day (``Household.last_visited_on``) from their
    visits. Every write that records a visit or changes its day calls it, in its transaction, so
    that the day is always that of the visits (the coverage and the households to visit read it).

    The households are locked first, in a statement of their own: a visit recorded at the same
    time for the same household then waits, and the recount that follows the lock sees every
    visit committed before it (PostgreSQL takes a new snapshot per statement)."""
    ids = sorted({pk for pk in household_ids if pk})
    for chunk in chunked(ids):
        list(Household.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
        Household.objects.filter(pk__in=chunk).update(last_visited_on=_latest_visit_day())


@transaction.atomic
def household_visit_days_recount() -> int:
    """Count again the latest visit day of every household whose stored day is not that of its
    visits — after visits were loaded around the services (a bulk load with ``COPY``, a restore of
    a partial backup). ``manage.py visits_recount`` runs it; returns how many were set again."""
    stale = (
        Household.objects.annotate(day=_latest_visit_day())
        .filter(
            Q(day__isnull=True, last_visited_on__isnull=False)
            | Q(day__isnull=False, last_visited_on__isnull=True)
            | (Q(day__isnull=False, last_visited_on__isnull=False) & ~Q(last_visited_on=F("day")))
        )
        .values_list("pk", flat=True)
    )
    ids = list(stale)
    household_visit_days(ids)
    return len(ids)


@transaction.atomic
def visit_record(*, acting_user: User | None, data: VisitInput) -> Visit:
    """Record a visit with the needs and problems found on it (all or nothing)."""
    require_perm(acting_user, RECORD_OUTREACH)
    visit = _clean(data, acting_user)
    record_actor(visit, user=visit.created_by)
    visit.save()
    household_visit_days([visit.household_id])
    workers = list(data.workers) or ([acting_user] if visit.created_by else [])
    if workers:
        visit.workers.set(workers)
    _add_findings(visit, data, acting_user)
    return visit


@transaction.atomic
def visit_bulk_record(
    *, acting_user: User | None, visits: Iterable[VisitInput], batch_size: int = 500
) -> list[Visit]:
    """Many visits at once with the same validation (any error: nothing written). Visits with
    needs or problems are recorded one by one so that those go through their services."""
    require_perm(acting_user, RECORD_OUTREACH)
    items = list(visits)
    plain = [(d, _clean(d, acting_user)) for d in items if not d.needs and not d.problems]
    created = bulk_create_with_history(
        [v for _d, v in plain],
        Visit,
        batch_size=batch_size,
        default_user=plain[0][1].created_by if plain else None,
    )
    if len(created) != len(plain) or any(v.pk is None for v in created):  # SQLite < 3.35 returns no ids
        raise RuntimeError("bulk insert did not return the new ids")
    Through = Visit.workers.through
    links = []
    for (data, _v), visit in zip(plain, created, strict=True):
        workers = list(data.workers) or ([acting_user] if visit.created_by else [])
        links += [Through(visit_id=visit.pk, user_id=w.pk) for w in workers]
    Through.objects.bulk_create(links, batch_size=batch_size)
    household_visit_days(v.household_id for v in created)
    out = list(created)
    for data in items:
        if data.needs or data.problems:
            out.append(visit_record(acting_user=acting_user, data=data))
    return out


# ---- the offline queue: each item once, whatever how often it is sent ----------------------


@dataclass(frozen=True)
class Received:
    """What the server answered an offline item (``result``), and whether this was a repeat of
    an item already received (``repeat``: nothing new was written)."""

    result: dict[str, Any]
    repeat: bool


def _receive(*, acting_user: User, key: uuid.UUID, kind: str, act: Callable[[], dict[str, Any]]) -> Received:
    """Run ``act`` once per (user, key): the receipt is inserted first, so a second request with
    the key waits on the first one's row (PostgreSQL) and then reads its answer; if ``act`` fails
    nothing is kept and the item may be sent again."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                receipt = OfflineReceipt.objects.create(user=acting_user, key=key, kind=kind)
        except IntegrityError:
            earlier = OfflineReceipt.objects.get(user=acting_user, key=key)
            if earlier.kind != kind:
                raise ValidationError({"key": _("该幂等键已用于另一类提交")}) from None
            return Received(result=earlier.result, repeat=True)
        result = act()
        receipt.result = result
        receipt.save(update_fields=["result"])
        return Received(result=result, repeat=False)


def offline_visit_record(*, acting_user: User, key: uuid.UUID, data: VisitInput) -> Received:
    """A visit recorded offline (with its needs and problems), received once per key."""

    def act() -> dict[str, Any]:
        visit = visit_record(acting_user=acting_user, data=data)
        return {
            "visit": visit.pk,
            "needs": list(visit.needs.order_by("id").values_list("id", flat=True)),
            "problems": list(visit.problems.order_by("id").values_list("id", flat=True)),
        }

    return _receive(acting_user=acting_user, key=key, kind="visit", act=act)


def offline_need_status(
    *,
    acting_user: User,
    key: uuid.UUID,
    need: Need,
    to_status: str,
    base_version: int,
    base_status: str,
    note: str = "",
    unmet_reason: str = "",
) -> Received:
    """A need's status changed offline, from the version the worker's copy showed: received
    once per key; a need whose status changed on the server since raises
    ``needs.services.NeedChanged`` (nothing written, the key free for the worker's choice)."""

    def act() -> dict[str, Any]:
        done = need_services.need_advance(
            acting_user=acting_user,
            need=need,
            to_status=to_status,
            note=note,
            unmet_reason=unmet_reason,
            base_version=base_version,
            base_status=base_status,
        )
        return {"need": done.pk, "status": done.status, "version": done.version}

    return _receive(acting_user=acting_user, key=key, kind="need_status", act=act)
