"""Working days on the working calendar, and the per-step limits of a request.

A day is a working day by, in this order: a ``CalendarDay`` made in wushe (a correction or a
local arrangement: it always wins); the official holidays and make-up working days (调休上班)
of the State Council's yearly notice, from the ``chinesecalendar`` package (updated each year
when the notice comes out: keep the pin in pyproject.toml current); Monday to Friday. For a year
the package does not know yet, only weekends and wushe's own days count — the calendar's
settings page says so (:func:`page_notes`), and an operator may type that year's days in.
Limits come from ``StepLimit`` rows (category-specific first, then the step's row) and default
to ``DEFAULT_LIMITS``: the usual 12345-style limits — consultations 3 working days, help and
suggestions 5, complaints 10 — for 处理, and one or two days for the other steps.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import chinese_calendar
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# The package's holiday names, in wushe's words.
HOLIDAY_NAMES: dict[str, Promise] = {
    "New Year's Day": gettext_lazy("元旦"),
    "Spring Festival": gettext_lazy("春节"),
    "Tomb-sweeping Day": gettext_lazy("清明节"),
    "Labour Day": gettext_lazy("劳动节"),
    "Dragon Boat Festival": gettext_lazy("端午节"),
    "National Day": gettext_lazy("国庆节"),
    "Mid-autumn Festival": gettext_lazy("中秋节"),
    "Anti-Fascist 70th Day": gettext_lazy("中国人民抗日战争胜利70周年纪念日"),
}


@functools.cache  # the package's tables do not change while the process runs
def official_days() -> dict[datetime.date, tuple[bool, str]]:
    """The official holidays (not working) and make-up working days, with their holiday's name."""
    days = {d: (False, name) for d, name in chinese_calendar.holidays.items()}
    days.update({d: (True, name) for d, name in chinese_calendar.workdays.items()})
    return days


@functools.cache
def known_years() -> tuple[int, int]:
    """The first and last year whose official days the installed package knows."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def year_known(year: int) -> bool:
    first, last = known_years()
    return first <= year <= last


def holiday_name(name: str) -> str:
    return str(HOLIDAY_NAMES.get(name, name))


def _exceptions() -> dict[datetime.date, bool]:
    def load() -> dict[datetime.date, bool]:
        days = {d: working for d, (working, _name) in official_days().items()}
        days.update(CalendarDay.objects.values_list("date", "working"))  # wushe's own days win
        return days

    return _cached("days", load)


def official_periods(year: int) -> list[tuple[str, list[datetime.date], list[datetime.date]]]:
    """A year's official holidays: (name, days off, make-up working days), in date order."""
    periods: dict[str, tuple[list[datetime.date], list[datetime.date]]] = {}
    for day, (working, name) in sorted(official_days().items()):
        if day.year == year:
            off, on = periods.setdefault(name, ([], []))
            (on if working else off).append(day)
    return [(holiday_name(name), off, on) for name, (off, on) in periods.items()]


def _month_day(day: datetime.date) -> str:
    return date_format(day, _("n月j日"))  # a date format: "F j" in English


def _span(days: list[datetime.date]) -> str:
    if not days:
        return ""
    first, last = _month_day(days[0]), _month_day(days[-1])
    return first if days[0] == days[-1] else f"{first}–{last}"


def page_notes(today: datetime.date | None = None) -> list[str]:
    """What the calendar's settings page says beside the rows: where the official days come
    from, this year's and next year's, and which year the package does not know yet."""
    today = today or timezone.localdate()
    first, last = known_years()
    notes = [
        _(
            "法定节假日和调休上班日取自 chinesecalendar 软件包（按国务院办公厅每年的放假通知），"
            "已知 %(first)s–%(last)s 年；本页的条目是本系统的更正和补充，优先于软件包。"
        )
        % {"first": first, "last": last}
    ]
    for year in (today.year, today.year + 1):
        if not year_known(year):
            notes.append(
                _(
                    "%(year)s 年的法定节假日还不在软件包中：该年只按周末和本页的条目计算工作日。"
                    "国务院办公厅发布通知后，请升级 chinesecalendar，或在本页逐日录入。"
                )
                % {"year": year}
            )
            continue
        parts = []
        for name, off, on in official_periods(year):
            text = f"{name} {_span(off)}"
            if on:
                text += _("（调休上班 %(days)s）") % {"days": "、".join(_month_day(d) for d in on)}
            parts.append(text)
        notes.append(_("%(year)s 年：%(days)s") % {"year": year, "days": "；".join(parts)})
    return notes


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
    """The days from ``start`` to ``end`` (inclusive) that are not as their weekday says."""
    days = _exceptions()
    if (end - start).days > 400:
        return {d: w for d, w in days.items() if start <= d <= end}
    out, day = {}, start
    while day <= end:
        if day in days:
            out[day] = days[day]
        day += datetime.timedelta(days=1)
    return out


def is_working_day(day: datetime.date, overrides: dict[datetime.date, bool] | None = None) -> bool:
    overrides = _exceptions() if overrides is None else overrides
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
