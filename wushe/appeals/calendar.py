"""Working days on the configurable calendar, and the per-step limits of a request.

Monday to Friday are working days unless a ``CalendarDay`` says otherwise: a holiday on a
weekday, or a make-up working day (调休上班) on a weekend. Limits come from ``StepLimit`` rows
(category-specific first, then the step's row) and default to ``DEFAULT_LIMITS``: the usual
12345-style limits — consultations 3 working days, help and suggestions 5, complaints 10 — for
处理, and one or two days for the other steps.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from .models import CalendarDay, Category, Step, StepLimit

DEFAULT_LIMITS: dict[str, int] = {
    Step.REGISTER: 0,
    Step.RECEIVE: 1,
    Step.REFER: 1,
    Step.HANDLE: 5,
    Step.FEEDBACK: 1,
    Step.ARCHIVE: 2,
}
DEFAULT_HANDLE_LIMITS: dict[str, int] = {
    Category.CONSULT: 3,
    Category.HELP: 5,
    Category.SUGGESTION: 5,
    Category.COMPLAINT: 10,
}


# The calendar and the limits are read for every step of every request: keep them for a minute
# in the process (services that change them call ``invalidate``; other processes catch up
# within CACHE_SECONDS).
CACHE_SECONDS = 60
_cache: dict[str, Any] = {}


def invalidate() -> None:
    _cache.clear()


T = TypeVar("T")


def _cached(key: str, load: Callable[[], T]) -> T:
    hit = _cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return cast(T, hit[1])  # stored by this key's own load
    value = load()
    _cache[key] = (time.monotonic() + CACHE_SECONDS, value)
    return value


def _limits() -> dict[tuple[str, str], int]:
    return _cached("limits", lambda: {(r.step, r.category): r.working_days for r in StepLimit.objects.all()})


def _exceptions() -> dict[datetime.date, bool]:
    return _cached("days", lambda: dict(CalendarDay.objects.values_list("date", "working")))


def step_limit(step: str, category: str) -> int:
    rows = {c: d for (s, c), d in _limits().items() if s == step and c in (category, "")}
    if category in rows:
        return rows[category]
    if "" in rows:
        return rows[""]
    if step == Step.HANDLE:
        return DEFAULT_HANDLE_LIMITS.get(category, DEFAULT_LIMITS[Step.HANDLE])
    return DEFAULT_LIMITS[step]


def exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return {d: w for d, w in _exceptions().items() if start <= d <= end}


def is_working_day(day: datetime.date, overrides: dict[datetime.date, bool] | None = None) -> bool:
    overrides = exceptions(day, day) if overrides is None else overrides
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``days=0``: ``start`` itself)."""
    if days <= 0:
        return start
    window = exceptions(start, start + datetime.timedelta(days=days * 3 + 30))
    day, left = start, days
    while left:
        day += datetime.timedelta(days=1)
        if is_working_day(day, window):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    if end <= start:
        return 0
    window = exceptions(start, end)
    n, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        n += is_working_day(day, window)
    return n
