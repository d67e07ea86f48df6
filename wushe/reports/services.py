"""Writes of the reports app: the figures counted ahead of time (``FigureSnapshot``).

A dashboard over a million people takes about a second to count (docs/benchmarks.md); its figures
are therefore counted ahead of time, as the operator, and stored per region, period and day:

- the first request of the day for a region and period counts them and stores them
  (:func:`figures_store`);
- a request that finds them older than ``WUSHE_FIGURES_MAX_AGE`` seconds shows them — with the
  time they were counted — and asks the task worker to count them again
  (:func:`figures_refresh_request`, :func:`figures_refresh`); older than
  ``WUSHE_FIGURES_MAX_STALE`` (the worker is not keeping up, or not running) they are counted again
  while the page waits;
- ``manage.py figures_rebuild`` counts again every stored dashboard of the day (after a bulk
  load made around the services) and deletes those of earlier days.

The writes of the records are not touched: keeping a stored figure current in every writing
transaction made the write paths 2–2.7× slower for a dashboard only 1.0–1.13× faster
(docs/scale.md, "Figures counted ahead of time"), so the figures lag the records by at most the
refresh interval, and the page says by how much. The drill-down behind a figure always lists the
records as they are now.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, override

from wushe.core.models import Region
from wushe.core.scoping import covers

from .dashboard import Counted, Dashboard, count, dashboard_for, dashboard_from, decode, encode
from .models import FigureSnapshot
from .periods import Period
from .selectors import stored_figures

if TYPE_CHECKING:
    from wushe.core.types import User

logger = logging.getLogger(__name__)


def figures_count(*, region: Region, period: Period) -> tuple[Counted, int]:
    """The dashboard's figures counted now, as the operator; and how long that took in ms."""
    began = time.perf_counter()
    counted = count(user=None, region=region, period=period)
    return counted, round((time.perf_counter() - began) * 1000)


def figures_store(
    *,
    region: Region,
    period: Period,
    as_of: datetime.date,
    counted: Counted,
    counted_at: datetime.datetime,
    took_ms: int,
    language: str,
) -> FigureSnapshot:
    """Store the figures counted from ``counted_at`` on, replacing those stored for the same
    region, period and language (on this day or an earlier one)."""
    values: dict[str, Any] = {
        "counted": encode(counted),
        "counted_at": counted_at,
        "took_ms": took_ms,
        "refresh_requested_at": None,
    }
    key: dict[str, Any] = {
        "region": region,
        "start": period.start,
        "end": period.end,
        "as_of": as_of,
        "language": language,
    }
    # the same dashboard counted on an earlier day is never shown again: one row per dashboard
    earlier = {k: v for k, v in key.items() if k != "as_of"}
    FigureSnapshot.objects.filter(**earlier, as_of__lt=as_of).delete()
    try:
        with transaction.atomic():
            snapshot, _created = FigureSnapshot.objects.update_or_create(**key, defaults=values)
    except IntegrityError:  # another request stored the same figures a moment ago: keep the newer
        FigureSnapshot.objects.filter(**key).update(**values)
        snapshot = FigureSnapshot.objects.get(**key)
    return snapshot


def figures_refresh_request(snapshot: FigureSnapshot, *, now: datetime.datetime) -> bool:
    """Ask the task worker to count the snapshot's figures again, once: a request made while an
    earlier one waits (or the worker counts) is not repeated. True if a task was enqueued."""
    asked = FigureSnapshot.objects.filter(pk=snapshot.pk, refresh_requested_at__isnull=True).update(
        refresh_requested_at=now
    )
    if not asked:
        return False

    def start() -> None:
        from .tasks import refresh_figures

        refresh_figures.enqueue(snapshot.pk)

    transaction.on_commit(start)
    return True


def figures_refresh(snapshot_id: int) -> bool:
    """Count a stored dashboard's figures again (the task worker); False if it is gone or of an
    earlier day (never shown again)."""
    snapshot = FigureSnapshot.objects.select_related("region").filter(pk=snapshot_id).first()
    if snapshot is None or snapshot.as_of != timezone.localdate():
        return False
    period = Period(snapshot.start, snapshot.end)
    with override(snapshot.language or None):
        began = timezone.now()
        counted, took = figures_count(region=snapshot.region, period=period)
        figures_store(
            counted_at=began,
            region=snapshot.region,
            period=period,
            as_of=snapshot.as_of,
            counted=counted,
            took_ms=took,
            language=snapshot.language,
        )
    return True


def figures_rebuild(*, region: Region | None = None) -> tuple[int, int]:
    """Count again every dashboard stored for today (of ``region`` and the regions above and below
    it, or all) and delete those of earlier days; returns (counted, deleted)."""
    today = timezone.localdate()
    deleted, _by_model = FigureSnapshot.objects.filter(as_of__lt=today).delete()
    todays = FigureSnapshot.objects.filter(as_of=today)
    if region is not None:  # its records count in the figures of its subtree and of the regions above
        above = [r.pk for r in region.ancestors()]
        todays = todays.filter(Q(region__path__startswith=region.path) | Q(region_id__in=above))
    counted = 0
    for pk in list(todays.values_list("pk", flat=True)):
        counted += figures_refresh(pk)
    return counted, deleted


@dataclass(frozen=True)
class Served:
    """A dashboard as shown: counted now (``counted_at`` now) or stored ahead of time."""

    board: Dashboard
    counted_at: datetime.datetime
    stored: bool  # shown from the stored figures (``counted_at`` is then when they were counted)


def dashboard_served(*, acting_user: User, region: Region, period: Period, fresh: bool = False) -> Served:
    """The dashboard for ``acting_user``: from the stored figures when they may serve (see the
    module's docstring), else counted now — and then stored, when the user's grants cover the
    region (the operator's figures are then the user's). ``fresh``: count now whatever is stored."""
    max_age = int(settings.WUSHE_FIGURES_MAX_AGE)
    now = timezone.now()
    if max_age <= 0 or not covers(acting_user, region):
        return Served(dashboard_for(user=acting_user, region=region, period=period), now, stored=False)
    today, language = timezone.localdate(), get_language() or ""
    snapshot = None if fresh else stored_figures(region=region, period=period, as_of=today, language=language)
    if snapshot is not None:
        age = (now - snapshot.counted_at).total_seconds()
        if age <= int(settings.WUSHE_FIGURES_MAX_STALE):
            if age > max_age:
                figures_refresh_request(snapshot, now=now)
            return Served(
                dashboard_from(region, period, decode(snapshot.counted)), snapshot.counted_at, stored=True
            )
    counted, took = figures_count(region=region, period=period)
    figures_store(
        region=region,
        period=period,
        as_of=today,
        counted=counted,
        counted_at=now,
        took_ms=took,
        language=language,
    )
    return Served(dashboard_from(region, period, counted), now, stored=False)
