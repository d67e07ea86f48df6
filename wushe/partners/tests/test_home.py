"""Resources to renew or replenish on the home page of those who keep the resource list: used up
or ending within 30 days, in their area only; the resource list behind the link shows them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.home_support import applies, listed, todo
from tests.outreach_factories import household_in, make_need, make_org, make_resource, units_for
from wushe.accounts.roles import Role
from wushe.needs.services import need_accept

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _period(days: int) -> tuple[datetime.date, datetime.date]:
    return (TODAY - datetime.timedelta(days=100), TODAY + datetime.timedelta(days=days))


def test_resources_used_up_or_ending_soon(tree: Any, users: Any) -> None:
    staff = UserFactory(username="community_staff", role=Role.COMMUNITY_STAFF, region=tree.community_a)
    org = make_org(tree.street, name="资源提供方")
    ending = make_resource(org, tree.community_a, name="即将到期", period=_period(10))
    used_up = make_resource(org, tree.community_a, name="已用完", period=_period(200), capacity=1)
    units_for(tree.street, [tree.community_a])
    need_accept(acting_user=None, need=make_need(household_in(tree.grid_a)), resource=used_up)
    make_resource(org, tree.community_a, name="还早", period=_period(200))
    make_resource(
        org,
        tree.community_a,
        name="已过期",
        period=(TODAY - datetime.timedelta(days=100), TODAY - datetime.timedelta(days=1)),
    )
    make_resource(make_org(tree.other_street), tree.community_c, name="丙社区即将到期", period=_period(5))
    item = todo(staff, "partners.resources")
    assert item.count == 2
    assert {e.label.split("（")[0] for e in item.first} == {"即将到期", "已用完"}
    assert {e.url for e in item.first} == {f"/partners/resources/{r.pk}/" for r in (ending, used_up)}
    assert listed(staff, item) == 2
    assert todo(users.street_admin, "partners.resources").count == 2
    assert not applies(users.worker_a, "partners.resources")  # the list is the community staff's
