"""Hours waiting for the team leader's verification on the home page: the pending records of the
teams the user leads, never another team's; the link opens the team's pending records."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import PersonFactory, UserFactory
from tests.home_support import applies, todo
from tests.service_world import service_objects
from wushe.accounts.roles import Role
from wushe.volunteers.services import service_record_verify

pytestmark = pytest.mark.django_db


def _side(tree: Any, region: Any, grid: Any, tag: str) -> dict[str, Any]:
    return service_objects(region=region, grid=grid, person=PersonFactory(region=grid), tag=tag)


def test_hours_waiting_for_the_leaders_verification(tree: Any, users: Any) -> None:
    own = _side(tree, tree.community_a, tree.grid_a, "甲")
    other = _side(tree, tree.community_c, tree.community_c, "丙")  # another street's team
    leader = UserFactory(username="team_leader", role=Role.TEAM_LEADER, organization=own["team"].organization)
    item = todo(leader, "volunteers.to_verify")
    assert item.count == 1
    assert item.first[0].url == f"/volunteers/{own['volunteer'].pk}/"
    assert "送餐" in item.first[0].label and "2.0" in item.first[0].label
    assert item.url == f"/volunteers/teams/{own['team'].pk}/#pending"
    client = Client()
    client.force_login(leader)
    page = client.get(item.url)
    assert page.status_code == 200 and "送餐" in page.content.decode()
    other_leader = UserFactory(
        username="other_leader", role=Role.TEAM_LEADER, organization=other["team"].organization
    )
    assert todo(other_leader, "volunteers.to_verify").count == 1
    service_record_verify(acting_user=leader, record=own["record"], approve=True)
    assert todo(leader, "volunteers.to_verify").count == 0
    assert todo(other_leader, "volunteers.to_verify").count == 1
    assert not applies(users.street_admin, "volunteers.to_verify")  # verifying is the leader's


def test_a_leader_of_two_teams_is_sent_to_the_team_list(tree: Any) -> None:
    first = _side(tree, tree.community_a, tree.grid_a, "一")
    second = _side(tree, tree.community_b, tree.grid_b, "二")
    leader = UserFactory(username="two_teams", role=Role.TEAM_LEADER, organization=first["team"].organization)
    from wushe.accounts.services import role_grant

    role_grant(user=leader, role=Role.TEAM_LEADER, organization=second["team"].organization)
    item = todo(leader, "volunteers.to_verify")
    assert item.count == 2 and item.url == "/volunteers/teams/"
