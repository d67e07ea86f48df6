"""Periods of the dashboard and the work report: quick choices and the periods they compare to."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before this one (上期). A period that starts on the first day of a calendar
        month, quarter or year and stays within it compares with the same days of the month,
        quarter or year before (本月 → 上月同期, 本季度 → 上季度同期; 本年 → 上年同期, which is the
        same period last year); a period that ends on the last day of its month ends the
        previous one on the last day of its month. Any other period compares with the period of
        the same length just before it."""
        start, end = self.start, self.end
        if start.day == 1:
            for months in (1, 3, 12):
                if (start.month - 1) % months == 0 and _months_between(start, end) < months:
                    return Period(_months_back(start, months), _months_back(end, months))
        before = start - datetime.timedelta(days=1)
        return Period(before - datetime.timedelta(days=self.days - 1), before)

    def last_year(self) -> Period:
        """The same days one year earlier (29 February becomes the 28th)."""
        return Period(_year_back(self.start), _year_back(self.end))

    def months(self, limit: int = 24) -> list[Period]:
        """The calendar months the period touches, each cut to the period (at most ``limit``, the last ones)."""
        out: list[Period] = []
        cursor = self.start.replace(day=1)
        while cursor <= self.end:
            nxt = (cursor.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            out.append(Period(max(cursor, self.start), min(nxt - datetime.timedelta(days=1), self.end)))
            cursor = nxt
        return out[-limit:]


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _months_back(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier; a month's last day stays its last day, and a day
    the earlier month lacks becomes its last (31 March → 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = _month_end(year, month)
    at_end = day.day == _month_end(day.year, day.month)
    return datetime.date(year, month, last if at_end else min(day.day, last))


def _year_back(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def this_month(today: datetime.date) -> Period:
    return Period(today.replace(day=1), today)


def this_quarter(today: datetime.date) -> Period:
    first_month = 3 * ((today.month - 1) // 3) + 1
    return Period(today.replace(month=first_month, day=1), today)


def this_year(today: datetime.date) -> Period:
    return Period(today.replace(month=1, day=1), today)


def quick_choices(today: datetime.date) -> list[tuple[str, Period]]:
    return [
        (_("本月"), this_month(today)),
        (_("本季度"), this_quarter(today)),
        (_("本年"), this_year(today)),
    ]


def describe(period: Period) -> str:
    """``2026年1月1日至2026年12月1日`` (Chinese) / ``1 January 2026 – 1 December 2026``."""
    return _("%(start)s至%(end)s") % {"start": day_text(period.start), "end": day_text(period.end)}


def day_text(day: datetime.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
