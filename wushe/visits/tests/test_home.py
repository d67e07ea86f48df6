"""The households to visit on the home page: those of the worker's grids not visited for N days,
never another street's; the coverage list behind the link shows the same households."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.home_support import applies, listed, todo
from tests.outreach_factories import household_in, make_visit, units_for

pytestmark = pytest.mark.django_db


def test_households_not_visited_in_the_workers_grids(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])
    never = household_in(tree.grid_a, name="从未走访户主")
    long_ago = household_in(tree.grid_a, name="很久以前户主")
    recent = household_in(tree.grid_a, name="刚走访户主")
    household_in(tree.grid_b, name="乙社区户主")
    household_in(tree.community_c, name="丙社区户主")  # another street
    today = timezone.localdate()
    make_visit(long_ago, day=today - datetime.timedelta(days=200))
    make_visit(recent, day=today - datetime.timedelta(days=3))
    item = todo(users.worker_a, "visits.not_visited")
    assert item.count == 2
    assert [e.label.split("（")[0] for e in item.first] == ["从未走访户主户", "很久以前户主户"]  # never first
    assert (
        "从未走访" in item.first[0].label and str(today - datetime.timedelta(days=200)) in item.first[1].label
    )
    assert item.first[0].url == f"/registry/households/{never.pk}/"
    assert listed(users.worker_a, item) == 2
    assert todo(users.street_admin, "visits.not_visited").count == 3  # 甲 and 乙, not 丙
    assert not applies(users.leader, "visits.not_visited")  # the leader visits no one
