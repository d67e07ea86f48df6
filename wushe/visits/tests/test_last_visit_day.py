"""Each household's latest visit day, kept on the household (``Household.last_visited_on``) by
the visits' services, is always the latest of its visits: after a visit, visits in bulk, a
correction that moves a visit's day either way, and visits of a person; and the coverage read
from it is the coverage read from the visits."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from tests.outreach_factories import household_in, make_visit, units_for
from wushe.registry.models import Household
from wushe.visits import editing, selectors, services
from wushe.visits.models import Visit

pytestmark = pytest.mark.django_db


def _kept_equals_visits() -> dict[int, datetime.date | None]:
    """Every household's stored day, after checking it is the latest of its visits."""
    counted = dict(
        Visit.objects.filter(household__isnull=False)
        .values("household")
        .annotate(day=Max("visited_on"))
        .values_list("household", "day")
        .order_by()
    )
    kept = dict(Household.objects.values_list("pk", "last_visited_on"))
    assert kept == {pk: counted.get(pk) for pk in kept}
    return kept


def test_every_write_of_a_visit_keeps_the_household_s_latest_day(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in (0, 5, 40, 100, 400)]
    home, other, never = household_in(tree.grid_a), household_in(tree.grid_b), household_in(tree.grid_a)
    assert _kept_equals_visits()[home.pk] is None

    middle = make_visit(home, day=days[2], acting_user=users.worker_a)
    assert _kept_equals_visits()[home.pk] == days[2]
    make_visit(home, day=days[3], acting_user=users.worker_a)  # an older visit recorded later
    assert _kept_equals_visits()[home.pk] == days[2]

    services.visit_bulk_record(
        acting_user=users.street_admin,
        visits=[
            services.VisitInput(visited_on=days[4], household=other),
            services.VisitInput(visited_on=days[1], household=other),
            services.VisitInput(visited_on=days[3], household=home),
        ],
    )
    kept = _kept_equals_visits()
    assert (kept[home.pk], kept[other.pk], kept[never.pk]) == (days[2], days[1], None)

    # a correction moves the latest visit later, then earlier than another one
    editing.visit_update(acting_user=users.worker_a, visit=middle, reason="日期记错", visited_on=days[0])
    assert _kept_equals_visits()[home.pk] == days[0]
    editing.visit_update(acting_user=users.worker_a, visit=middle, reason="又记错", visited_on=days[4])
    assert _kept_equals_visits()[home.pk] == days[3]
    editing.visit_update(acting_user=users.worker_a, visit=middle, reason="份数", leaflets=2)
    assert _kept_equals_visits()[home.pk] == days[3]

    # a visit to a person is one to the person's household
    person = home.members.first()
    services.visit_record(
        acting_user=users.worker_a, data=services.VisitInput(visited_on=days[1], person=person)
    )
    assert _kept_equals_visits()[home.pk] == days[1]


@pytest.mark.parametrize("days", [1, 30, 90, 365])
def test_coverage_read_from_the_household_is_the_coverage_read_from_the_visits(
    tree: Any, users: Any, days: int
) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    today = timezone.localdate()
    homes = [household_in(tree.grid_a if n % 2 else tree.grid_b) for n in range(8)]
    for n, home in enumerate(homes[:6]):
        for back in (n * 17, n * 61 + 3):
            make_visit(home, day=today - datetime.timedelta(days=back))
    households = selectors.active_households(Household.objects.all())
    since = today - datetime.timedelta(days=days)
    from_visits = set(
        households.filter(Exists(Visit.objects.filter(household=OuterRef("pk"), visited_on__gt=since)))
    )
    for as_of in (today, today + datetime.timedelta(days=20)):  # a period that ends after today
        ahead = as_of - datetime.timedelta(days=days)
        expected = set(
            households.filter(
                Exists(
                    Visit.objects.filter(
                        household=OuterRef("pk"), visited_on__gt=ahead, visited_on__lte=as_of
                    )
                )
            )
        )
        assert set(selectors.households_recently_visited(households, as_of=as_of, days=days)) == expected
    assert set(selectors.households_recently_visited(households, as_of=today, days=days)) == from_visits
    listed = set(
        selectors.coverage_list(user=users.street_admin, filters=selectors.CoverageFilters(days=days))
    )
    assert listed == set(households) - from_visits
    # a day in the past is asked of the visits: a later visit does not hide an earlier one
    past = today - datetime.timedelta(days=50)
    expected = set(
        households.filter(
            Exists(
                Visit.objects.filter(
                    household=OuterRef("pk"),
                    visited_on__gt=past - datetime.timedelta(days=days),
                    visited_on__lte=past,
                )
            )
        )
    )
    assert set(selectors.households_recently_visited(households, as_of=past, days=days)) == expected


def test_the_command_sets_again_the_days_of_visits_loaded_around_the_services(tree: Any, users: Any) -> None:
    import io

    from django.core.management import call_command

    units_for(tree.street, [tree.community_a])
    today = timezone.localdate()
    home, other, never = household_in(tree.grid_a), household_in(tree.grid_a), household_in(tree.grid_a)
    make_visit(home, day=today - datetime.timedelta(days=3))
    make_visit(other, day=today - datetime.timedelta(days=9))
    out = io.StringIO()
    call_command("visits_recount", stdout=out)
    assert out.getvalue().strip() == "0"  # the services kept them
    # as a bulk load or a restore would leave them: a day lost, a day wrong, a day where none is
    Household.objects.filter(pk=home.pk).update(last_visited_on=None)
    Household.objects.filter(pk=other.pk).update(last_visited_on=today)
    Household.objects.filter(pk=never.pk).update(last_visited_on=today)
    call_command("visits_recount", stdout=out)
    assert out.getvalue().split() == ["0", "3"]
    kept = _kept_equals_visits()
    assert (kept[home.pk], kept[other.pk], kept[never.pk]) == (
        today - datetime.timedelta(days=3),
        today - datetime.timedelta(days=9),
        None,
    )
