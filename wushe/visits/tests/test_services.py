from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.outreach_factories import household_in, make_visit, units_for
from wushe.needs.models import Need, Problem
from wushe.visits import selectors, services
from wushe.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_visit_with_needs_and_problems_in_one_step(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a])
    household = household_in(tree.grid_a)
    visit = make_visit(
        household,
        acting_user=users.worker_a,
        services_done=["cleaning", "rehab"],
        policies_explained=2,
        leaflets=5,
        mood="low",
        resident_words="希望有人常来看看",
        needs=[{"category": "psych", "description": "需要心理疏导"}],
        problems=[{"description": "房屋漏雨"}],
    )
    assert visit.region == tree.grid_a and list(visit.workers.all()) == [users.worker_a]
    need = Need.objects.get()
    assert need.visit == visit and need.household == household and need.reported_on == visit.visited_on
    assert Problem.objects.get().visit == visit
    assert visit.services_labels() == ["助洁", "康复指导"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"day": datetime.date(2999, 1, 1)}, "visited_on"),
        ({"channel": "pigeon"}, "channel"),
        ({"reached": False}, "not_reached_reason"),
        ({"services_done": ["magic"]}, "services_done"),
        ({"leaflets": 100000}, "leaflets"),
        ({"policies_explained": -1}, "policies_explained"),
        ({"mood": "ecstatic"}, "mood"),
        ({"needs": [{"category": "psych", "description": ""}]}, "needs.0.description"),
        ({"problems": [{"description": ""}]}, "problems.0.description"),
    ],
)
def test_bad_visit_names_the_field_and_writes_nothing(tree: Any, changes: dict[str, Any], field: str) -> None:
    units_for(tree.street)
    household = household_in(tree.grid_a)
    with pytest.raises(ValidationError) as exc:
        make_visit(household, **changes)
    assert field in exc.value.message_dict
    assert Visit.objects.count() == 0 and Need.objects.count() == 0 and Problem.objects.count() == 0


def test_worker_cannot_visit_out_of_scope(tree: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_visit(household_in(tree.grid_b), acting_user=users.worker_a)
    assert "household" in exc.value.message_dict


def test_bulk_record_validates_like_one(tree: Any) -> None:
    household = household_in(tree.grid_a)
    rows = [
        services.VisitInput(visited_on=datetime.date(2026, 3, d), household=household, leaflets=3)
        for d in range(1, 6)
    ]
    created = services.visit_bulk_record(acting_user=None, visits=rows)
    assert len(created) == 5 and Visit.objects.count() == 5
    assert Visit.history.count() == 5
    bad = [*rows, services.VisitInput(visited_on=datetime.date(2026, 3, 9), household=household, leaflets=-4)]
    with pytest.raises(ValidationError):
        services.visit_bulk_record(acting_user=None, visits=bad)
    assert Visit.objects.count() == 5


def test_coverage_lists_households_not_visited(tree: Any, users: Any) -> None:
    seen = household_in(tree.grid_a)
    unseen = household_in(tree.grid_a)
    other = household_in(tree.grid_b)
    from django.utils import timezone

    make_visit(seen, day=timezone.localdate())
    make_visit(unseen, day=timezone.localdate() - datetime.timedelta(days=200))
    listed = list(selectors.coverage_list(user=users.worker_a, filters=selectors.CoverageFilters(days=90)))
    assert listed == [unseen]
    assert vars(listed[0])["last_visit"] == timezone.localdate() - datetime.timedelta(days=200)
    assert other not in listed
    summary = selectors.coverage_summary(user=users.worker_a, region=None, days=90)
    assert summary == {"total": 2, "visited": 1, "missing": 1}
    by_worker = selectors.coverage_list(
        user=users.street_admin, filters=selectors.CoverageFilters(days=90, worker=users.worker_b)
    )
    assert list(by_worker) == [other]
