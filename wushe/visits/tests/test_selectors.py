"""The visits' scoped reads: the visit list by its one filter definition, coverage (households not
visited for N days), the heads of a page of households and the workers in scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from tests.outreach_factories import household_in, make_visit, units_for
from wushe.visits import selectors

pytestmark = pytest.mark.django_db


def test_the_visit_list_is_scoped_and_filtered(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    home_a, home_b = household_in(tree.grid_a), household_in(tree.grid_b)
    june = make_visit(home_a, day=datetime.date(2026, 6, 1), acting_user=users.worker_a)
    july = make_visit(home_b, day=datetime.date(2026, 7, 1), acting_user=users.worker_b)
    august = make_visit(home_a, day=datetime.date(2026, 8, 1), acting_user=users.street_admin)

    def ids(user: Any, **filters: Any) -> list[int]:
        return [v.pk for v in selectors.visit_list(user=user, filters=selectors.VisitFilters(**filters))]

    assert ids(users.street_admin) == [august.pk, july.pk, june.pk]  # newest first
    assert ids(users.worker_a) == [august.pk, june.pk]
    assert ids(users.street_admin, region=tree.community_b) == [july.pk]
    assert ids(users.street_admin, start=datetime.date(2026, 6, 2), end=datetime.date(2026, 7, 31)) == [
        july.pk
    ]
    assert ids(users.street_admin, worker=users.worker_a.pk) == [june.pk]
    assert ids(users.street_admin, household=home_a.pk) == [august.pk, june.pk]
    assert ids(users.nobody) == []
    assert selectors.get_visit_for_user(user=users.worker_a, pk=june.pk) == june
    with pytest.raises(Http404):
        selectors.get_visit_for_user(user=users.worker_a, pk=july.pk)


def test_coverage_lists_the_households_not_visited_lately_never_visited_first(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    today = timezone.localdate()
    recent, stale, never = household_in(tree.grid_a), household_in(tree.grid_a), household_in(tree.grid_a)
    other = household_in(tree.grid_b)
    make_visit(recent, day=today - datetime.timedelta(days=10))
    make_visit(stale, day=today - datetime.timedelta(days=200))
    listed = list(selectors.coverage_list(user=users.worker_a, filters=selectors.CoverageFilters(days=90)))
    assert listed == [never, stale]
    assert vars(listed[0])["last_visit"] is None and vars(listed[1])[
        "last_visit"
    ] == today - datetime.timedelta(days=200)
    assert selectors.coverage_summary(user=users.worker_a, region=None, days=90) == {
        "total": 3,
        "visited": 1,
        "missing": 2,
    }
    street = selectors.coverage_list(user=users.street_admin, filters=selectors.CoverageFilters(days=365))
    assert set(street) == {never, other}
    by_worker = selectors.coverage_list(
        user=users.street_admin, filters=selectors.CoverageFilters(days=365, worker=users.worker_b)
    )
    assert list(by_worker) == [other]


def test_the_workers_in_scope_are_the_region_roles_below_the_user(tree: Any, users: Any) -> None:
    assert list(selectors.workers_in_scope(user=users.street_admin)) == [users.worker_a, users.worker_b]
    assert list(selectors.workers_in_scope(user=users.worker_a)) == [users.worker_a]
    users.worker_b.is_active = False
    users.worker_b.save(update_fields=["is_active"])
    assert list(selectors.workers_in_scope(user=users.street_admin)) == [users.worker_a]
    assert list(selectors.workers_in_scope(user=users.nobody)) == []
