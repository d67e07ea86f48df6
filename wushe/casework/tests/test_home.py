"""Cases on the home page: the worker's own cases with a step due, and closed cases whose return
visit has come — an organization's staff's are the organization's — never another street's; the
case list behind each link shows the same cases."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from tests.home_support import listed, todo
from wushe.accounts.roles import Role
from wushe.casework.services import case_advance, case_open

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _case(person: Any, *, worker: Any = None, org: Any = None, due: int | None = None) -> Any:
    return case_open(
        acting_user=None,
        person=person,
        reason="接案",
        opened_on=TODAY - datetime.timedelta(days=60),
        worker=worker,
        organization=org,
        next_due=TODAY + datetime.timedelta(days=due) if due is not None else None,
    )


def test_cases_with_a_step_due(tree: Any, users: Any, org_a: Any, org_b: Any) -> None:
    in_a, in_c = PersonFactory(region=tree.grid_a), PersonFactory(region=tree.community_c)
    due = _case(in_a, worker=users.worker_a, org=org_a, due=-3)
    _case(in_a, worker=users.worker_a, due=5)  # not yet
    _case(in_a, worker=users.street_admin, due=-1)  # a colleague's
    _case(in_c, worker=users.worker_a, org=org_b, due=-2)  # another street's (a stale assignment)
    item = todo(users.worker_a, "casework.due")
    assert item.count == 1 and item.first[0].url == f"/services/cases/{due.pk}/"
    assert item.url == "/services/cases/?due=on&mine=on" and listed(users.worker_a, item) == 1
    # an organization's staff: every case the organization runs with a step due
    staff = UserFactory(username="case_staff", role=Role.ORG_STAFF, organization=org_a)
    staff_item = todo(staff, "casework.due")
    assert staff_item.count == 1 and staff_item.url == "/services/cases/?due=on"
    assert listed(staff, staff_item) == 1


def test_closed_cases_whose_return_visit_has_come(tree: Any, users: Any) -> None:
    person = PersonFactory(region=tree.grid_a)
    came = _case(person, worker=users.worker_a)
    later = _case(person, worker=users.worker_a)
    long_ago = _case(person, worker=users.worker_a)
    for case, day in ((came, -2), (later, 10), (long_ago, -45)):
        case_advance(
            acting_user=None,
            case=case,
            stage="closed",
            on=TODAY - datetime.timedelta(days=50),
            note="结案",
            follow_up_on=TODAY + datetime.timedelta(days=day),
        )
    item = todo(users.worker_a, "casework.follow_up")
    assert item.count == 1 and item.first[0].url == f"/services/cases/{came.pk}/"
    assert listed(users.worker_a, item) == 1
    assert todo(users.worker_b, "casework.follow_up").count == 0
    assert todo(users.worker_a, "casework.due").count == 0  # closed: no step due
