"""Periods of the dashboard and the work report: quick choices and the periods they compare to."""

from __future__ import annotations

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
        """The period of the same length just before this one."""
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

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
