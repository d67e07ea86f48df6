"""Working days on the configurable calendar: weekends, holidays, make-up working days."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from tests.conftest import login
from wushe.appeals import calendar
from wushe.appeals.models import StepLimit
from wushe.appeals.services import calendar_day_set

pytestmark = pytest.mark.django_db

D = datetime.date


def test_weekends_are_skipped() -> None:
    assert calendar.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)  # Friday → Monday
    assert calendar.add_working_days(D(2026, 11, 27), 0) == D(2026, 11, 27)
    assert calendar.working_days_between(D(2026, 11, 27), D(2026, 11, 30)) == 1


def test_holidays_and_make_up_days_count() -> None:
    for day in range(1, 8):
        calendar_day_set(acting_user=None, date=D(2026, 10, day), working=False, name="国庆节")
    calendar_day_set(acting_user=None, date=D(2026, 10, 10), working=True, name="国庆节调休上班")
    # Wednesday 30 September + 1 working day: 1–7 October off, 8 and 9 work, Saturday 10 works
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert calendar.is_working_day(D(2026, 10, 10))
    assert not calendar.is_working_day(D(2026, 10, 5))


def test_limits_come_from_configuration_with_defaults() -> None:
    assert calendar.step_limit("handle", "complaint") == 10
    assert calendar.step_limit("handle", "consult") == 3
    StepLimit.objects.create(step="handle", category="", working_days=4)
    calendar.invalidate()
    assert calendar.step_limit("handle", "consult") == 4
    StepLimit.objects.create(step="handle", category="consult", working_days=2)
    calendar.invalidate()
    assert calendar.step_limit("handle", "consult") == 2
    assert calendar.step_limit("receive", "consult") == 1


# ---- the official calendar (chinesecalendar) under wushe's own days ----------------------


def test_a_new_deployment_knows_the_official_holidays_and_make_up_days() -> None:
    """No CalendarDay at all: 1–7 October 2026 are off, Saturday 10 October is a working day."""
    assert not calendar.is_working_day(D(2026, 10, 1))  # a Thursday
    assert calendar.is_working_day(D(2026, 10, 10))  # a Saturday, 调休上班
    assert not calendar.is_working_day(D(2026, 2, 17))  # 春节, a Tuesday
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_corrections_made_in_wushe_win_over_the_package() -> None:
    calendar_day_set(acting_user=None, date=D(2026, 10, 2), working=True, name="本街道值班")
    calendar_day_set(acting_user=None, date=D(2026, 10, 10), working=False, name="本地更正")
    assert calendar.is_working_day(D(2026, 10, 2)) and not calendar.is_working_day(D(2026, 10, 10))
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 2)


def test_a_year_the_package_does_not_know_is_weekends_and_wushes_own_days() -> None:
    first, last = calendar.known_years()
    assert first <= 2026 <= last
    unknown = last + 1
    new_year = D(unknown, 1, 1)
    weekday = new_year + datetime.timedelta(days=(7 - new_year.weekday()) % 7)  # the first Monday
    assert not calendar.year_known(unknown) and calendar.is_working_day(weekday)
    calendar_day_set(acting_user=None, date=weekday, working=False, name="元旦（补录）")
    assert not calendar.is_working_day(weekday)
    notes = " ".join(calendar.page_notes(today=D(last, 12, 1)))
    assert f"{unknown} 年的法定节假日还不在软件包中" in notes and "只按周末和本页的条目计算" in notes
    assert f"{last} 年：" in notes and "国庆节" in notes


def test_the_calendar_page_says_where_the_days_come_from(users: Any) -> None:
    page = login(users.street_admin).get("/settings/calendar/").content.decode()
    assert "chinesecalendar" in page and "2026 年：" in page and "国庆节 10月1日–10月7日" in page
    assert "调休上班 9月20日、10月10日" in page
    with translation.override("en"):
        notes = " ".join(calendar.page_notes(today=D(2026, 5, 1)))
    assert "National Day October 1–October 7" in notes and "make-up working days" in notes
