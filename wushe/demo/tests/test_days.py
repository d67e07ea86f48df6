"""The demo's days: named days on their real dates, days of registration within a resident's life."""

from __future__ import annotations

import calendar
import datetime
import random

import pytest

from wushe.demo.days import CHONGYANG, LAST_REGISTRATION, OBSERVANCES, nth_weekday, registration_day

D = datetime.date


@pytest.mark.parametrize(
    "year,day",
    [(2024, D(2024, 5, 19)), (2025, D(2025, 5, 18)), (2026, D(2026, 5, 17)), (2027, D(2027, 5, 16))],
)
def test_the_national_day_for_helping_the_disabled_is_the_third_sunday_of_may(year: int, day: D) -> None:
    assert nth_weekday(year, 5, calendar.SUNDAY, 3) == day
    assert next(o for o in OBSERVANCES if o.name == "全国助残日").day(year) == day


def test_last_weekday_and_the_lunar_days() -> None:
    assert nth_weekday(2026, 9, calendar.SUNDAY, -1) == D(2026, 9, 27)  # 国际聋人节
    assert nth_weekday(2025, 9, calendar.SUNDAY, -1) == D(2025, 9, 28)
    # 重阳节, the ninth of the ninth lunar month
    assert (CHONGYANG[2024], CHONGYANG[2025], CHONGYANG[2026]) == (
        D(2024, 10, 11),
        D(2025, 10, 29),
        D(2026, 10, 18),
    )
    days = {o.name: o.day(2026) for o in OBSERVANCES}
    assert days["国际残疾人日"] == D(2026, 12, 3) and days["学雷锋纪念日"] == D(2026, 3, 5)
    assert days["世界精神卫生日"] == D(2026, 10, 10) and days["重阳节"] == D(2026, 10, 18)


def test_a_day_of_registration_is_a_weekday_after_the_first_birthday() -> None:
    rng = random.Random(1)
    births = [D(1940, 1, 1), D(2012, 6, 30), D(2020, 2, 29), D(2025, 3, 1)]
    for _n in range(2000):
        birth = rng.choice(births)
        day = registration_day(rng, birth)
        assert birth + datetime.timedelta(days=360) <= day <= LAST_REGISTRATION, (birth, day)
        assert day.weekday() < 5
