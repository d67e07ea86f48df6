"""Working days on the configurable calendar: weekends, holidays, make-up working days."""

from __future__ import annotations

import datetime

import pytest

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
