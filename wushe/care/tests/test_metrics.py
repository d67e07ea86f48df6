"""The care figures, computed from the records and again from their drill-down records."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.factories import PersonFactory
from wushe.care.metrics import begun_months
from wushe.care.services import care_plan_end
from wushe.core.checks import today
from wushe.core.metrics import Scope, compute, recompute
from wushe.registry.services import household_create

from .conftest import make_plan, months_ago
from .test_services import record

pytestmark = pytest.mark.django_db

KEYS = ("care.households", "care.services", "care.monthly_cleaning")


def _person(region: Any) -> Any:
    p = PersonFactory(region=region)
    household_create(acting_user=None, head=p)
    p.refresh_from_db()
    return p


def test_figures_come_from_the_records(cw: Any, tree: Any) -> None:
    second = make_plan(_person(tree.grid_a), cw.provider, started_on=months_ago(3))
    ended = make_plan(_person(tree.grid_b), cw.other_org, started_on=months_ago(5))
    care_plan_end(acting_user=None, plan=ended, ended_on=months_ago(4), reason="去世")
    start = months_ago(3)
    end = today()
    n_months = begun_months(start, end)[2]
    # the first resident is cleaned in every month of the period, the second misses one
    for i in range(n_months):
        month = months_ago(i)
        record(cw.plan, "cleaning", month)
        record(cw.plan, "cleaning", month + datetime.timedelta(days=1))
        if i != 1:
            record(second, "cleaning", month)
    record(second, "daily_care", today())
    scope = Scope(region=tree.street, start=start, end=end)
    figures = compute(scope, KEYS)
    assert figures["care.households"].value == 2  # the ended plan's household is not counted
    assert figures["care.services"].value == 2 * n_months + (n_months - 1) + 1
    assert figures["care.monthly_cleaning"].value == 1
    for key in KEYS:
        assert recompute(key, scope) == figures[key].value, key
    # in 甲社区 alone, and for 乙社区's worker nothing of 甲社区
    assert compute(Scope(region=tree.community_b, start=start, end=end))["care.households"].value == 0
    as_b = compute(Scope(region=tree.street, user=cw.worker_b, start=start, end=end))
    assert as_b["care.households"].value == 0 and as_b["care.monthly_cleaning"].value == 0
    # as of a day before the ended plan ended, its household counts too
    past = Scope(region=tree.street, start=months_ago(5), end=months_ago(5) + datetime.timedelta(days=3))
    assert compute(past)["care.households"].value == 2  # cw.plan (six months) and the ended one


def test_begun_months() -> None:
    now = today()
    assert begun_months(None, None) == (now.replace(month=1, day=1), now, now.month)
    first = datetime.date(now.year - 1, 11, 1)
    assert begun_months(first, datetime.date(now.year - 1, 12, 31))[2] == 2
    assert begun_months(now + datetime.timedelta(days=40), None)[2] == 0
    # a period that runs on past today counts only the months begun
    assert begun_months(now.replace(day=1), now + datetime.timedelta(days=70))[2] == 1


def test_cleaning_without_a_period_is_the_year_to_date(cw: Any, tree: Any) -> None:
    now = today()
    january = make_plan(_person(tree.grid_a), cw.provider, started_on=now.replace(month=1, day=1))
    for m in range(1, now.month + 1):
        record(january, "cleaning", datetime.date(now.year, m, 1))
        if datetime.date(now.year, m, 1) >= cw.plan.started_on:
            record(cw.plan, "cleaning", datetime.date(now.year, m, 1))
    scope = Scope(region=tree.street)
    # cw.plan began in the year: its months before are missing, unless it began in January
    expected = 1 if cw.plan.started_on > now.replace(month=1, day=1) else 2
    assert compute(scope, ["care.monthly_cleaning"])["care.monthly_cleaning"].value == expected
    assert recompute("care.monthly_cleaning", scope) == expected
