"""The demo's days: the named days its events fall on (全国助残日 on the third Sunday of May, 重阳节
on the ninth of the ninth lunar month …), the working days its visits and activities take, and
the days its residents entered the register over the past years."""

from __future__ import annotations

import calendar
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from wushe.appeals.calendar import is_working_day


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n = -1``: the last one."""
    days = [
        datetime.date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if datetime.date(year, month, d).weekday() == weekday
    ]
    return days[n] if n < 0 else days[n - 1]


# 重阳节 (the ninth day of the ninth lunar month): the months' first days follow the new moons in
# Beijing time, checked against a new-moon computation (Meeus, Astronomical Algorithms, ch. 49).
CHONGYANG = {
    2024: datetime.date(2024, 10, 11),
    2025: datetime.date(2025, 10, 29),
    2026: datetime.date(2026, 10, 18),
    2027: datetime.date(2027, 10, 8),
    2028: datetime.date(2028, 10, 26),
    2029: datetime.date(2029, 10, 16),
    2030: datetime.date(2030, 10, 5),
}


def fixed(month: int, day: int) -> Callable[[int], datetime.date]:
    return lambda year: datetime.date(year, month, day)


@dataclass(frozen=True)
class Observance:
    """A named day and the event the communities hold on it: ``title`` follows the community's
    name; ``communities`` of every ``len(communities)``-th community hold one (all: 1)."""

    name: str
    day: Callable[[int], datetime.date]
    title: str
    publicity: bool
    every: int = 1


OBSERVANCES = [
    Observance("全国爱耳日", fixed(3, 3), "全国爱耳日听力健康宣传", True, every=5),
    Observance("学雷锋纪念日", fixed(3, 5), "学雷锋志愿服务进家门活动", False),
    Observance("世界孤独症日", fixed(4, 2), "世界孤独症日关爱活动", True, every=7),
    # 《残疾人保障法》: the third Sunday of May
    Observance("全国助残日", lambda y: nth_weekday(y, 5, calendar.SUNDAY, 3), "全国助残日宣传活动", True),
    Observance("全国爱眼日", fixed(6, 6), "全国爱眼日视力健康宣传", True, every=5),
    Observance("全国残疾预防日", fixed(8, 25), "全国残疾预防日宣传活动", True, every=3),
    # the International Day of the Deaf: the last Sunday of September
    Observance("国际聋人节", lambda y: nth_weekday(y, 9, calendar.SUNDAY, -1), "国际聋人节手语交流活动", False, every=7),
    Observance("世界精神卫生日", fixed(10, 10), "世界精神卫生日心理健康宣传", True, every=4),
    Observance("国际盲人节", fixed(10, 15), "国际盲人节无障碍出行体验活动", False, every=7),
    Observance("重阳节", CHONGYANG.__getitem__, "重阳节敬老助残活动", False),
    Observance("国际残疾人日", fixed(12, 3), "国际残疾人日主题活动", False),
]  # fmt: skip


def working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The working days from ``start`` to ``end`` on wushe's working calendar (weekdays unless
    the calendar marks a holiday or a make-up working day)."""
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    return [d for d in days if is_working_day(d)]


# How a street's register grew: the share of its residents registered in each year (the year of
# the demo, 2026, up to the autumn).
REGISTER_GROWTH = {
    2014: 5, 2015: 6, 2016: 6, 2017: 7, 2018: 7, 2019: 8, 2020: 8,
    2021: 9, 2022: 9, 2023: 10, 2024: 10, 2025: 10, 2026: 6,
}  # fmt: skip
POVERTY_REGISTER = {  # 建档立卡 from 2014; monitored households (防返贫监测) added since 2021
    2014: 40, 2015: 25, 2016: 12, 2017: 6, 2018: 4, 2019: 3, 2020: 2,
    2021: 2, 2022: 2, 2023: 1, 2024: 1, 2025: 1, 2026: 1,
}  # fmt: skip
LAST_REGISTRATION = datetime.date(2026, 10, 30)


def registration_day(
    rng: random.Random, birth: datetime.date, growth: dict[int, int] = REGISTER_GROWTH
) -> datetime.date:
    """A weekday on which a resident born on ``birth`` entered the register: the year drawn by
    ``growth``, never before the resident's first birthday nor after ``LAST_REGISTRATION``."""
    year = rng.choices(list(growth), weights=list(growth.values()))[0]
    earliest = max(datetime.date(year, 1, 1), birth + datetime.timedelta(days=366))
    latest = min(datetime.date(year, 12, 31), LAST_REGISTRATION)
    if earliest > latest:
        earliest = latest = min(LAST_REGISTRATION, max(earliest, datetime.date(year, 1, 1)))
    day = earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))
    while day.weekday() >= 5:  # the office registers on weekdays
        day -= datetime.timedelta(days=1)
    return max(day, birth + datetime.timedelta(days=1))
