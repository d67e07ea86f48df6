"""Volunteer figures: active volunteers, teams, verified hours in the period."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from wushe.core.metrics import Scope, compute
from wushe.volunteers import services

pytestmark = pytest.mark.django_db


def test_volunteer_figures(tree: Any, team: Any, other_team: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=datetime.date(2026, 1, 5))
    services.volunteer_create(
        acting_user=None, team=other_team, name="王", joined_on=datetime.date(2026, 3, 5)
    )
    a = services.service_record_log(
        acting_user=None, volunteer=v, on=datetime.date(2026, 2, 1), hours=2, kind="meal", content="x"
    )
    services.service_record_log(
        acting_user=None, volunteer=v, on=datetime.date(2026, 2, 2), hours=4, kind="meal", content="x"
    )
    services.service_record_verify(acting_user=team.leader, record=a, approve=True)
    f = compute(Scope(region=tree.street), ["volunteers", "volunteer_teams", "volunteer_hours"])
    assert (f["volunteers"].value, f["volunteer_teams"].value, f["volunteer_hours"].value) == (2, 2, 2)
    jan = compute(
        Scope(region=tree.street, end=datetime.date(2026, 1, 31)), ["volunteers", "volunteer_hours"]
    )
    assert jan["volunteers"].value == 1 and jan["volunteer_hours"].value == 0
    assert compute(Scope(region=tree.community_a), ["volunteer_teams"])["volunteer_teams"].value == 1
