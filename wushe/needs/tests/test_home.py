"""The needs' to-dos on the home page: overdue and due-soon needs of the user's units, referrals
waiting for the user's organization — scoped (another street's never counted), and the list
behind each link shows the same records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.home_support import applies, listed, todo
from tests.outreach_factories import household_in, make_need, make_org, make_resource, units_for
from wushe.accounts.roles import Role
from wushe.needs.models import Need, Referral
from wushe.needs.referral_services import referral_accept
from wushe.needs.services import need_accept, need_advance

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=20)


@dataclass
class World:
    overdue_a: Need
    soon_a: Need
    station_a: Need
    overdue_b: Need
    overdue_c: Need


def _overdue(household: Any, text: str, **kw: Any) -> Need:
    return make_need(
        household, reported_on=PAST, deadline=PAST + datetime.timedelta(days=5), description=text, **kw
    )


@pytest.fixture
def world(tree: Any) -> World:
    units = units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])
    units_for(tree.other_street, [tree.community_c])
    in_a, in_b, in_c = household_in(tree.grid_a), household_in(tree.grid_b), household_in(tree.community_c)
    make_need(in_a, deadline=TODAY + datetime.timedelta(days=30), description="甲不急")
    return World(
        overdue_a=_overdue(in_a, "甲逾期"),
        soon_a=make_need(in_a, deadline=TODAY + datetime.timedelta(days=3), description="甲将到期"),
        # in 甲社区 but the street's station answers for it: not the community worker's
        station_a=_overdue(in_a, "甲社区街道站逾期", responsible_unit=units["station"]),
        overdue_b=_overdue(in_b, "乙逾期"),
        overdue_c=_overdue(in_c, "丙逾期"),  # another street
    )


def _texts(item: Any) -> set[str]:
    return {entry.label.split("：", 1)[1].split("（", 1)[0] for entry in item.first}


def test_overdue_needs_are_those_of_the_users_units_in_scope(world: World, users: Any) -> None:
    worker = todo(users.worker_a, "needs.overdue")
    assert worker.count == 1 and _texts(worker) == {"甲逾期"}
    assert worker.first[0].url == f"/needs/{world.overdue_a.pk}/"
    assert listed(users.worker_a, worker) == 1
    street = todo(users.street_admin, "needs.overdue")
    assert street.count == 3 and _texts(street) == {"甲逾期", "甲社区街道站逾期", "乙逾期"}
    assert listed(users.street_admin, street) == 3
    # the 领导 sees what is overdue in the region, and has nothing "due soon" to do
    assert todo(users.leader, "needs.overdue").count == 3
    assert not applies(users.leader, "needs.due_soon")


def test_a_need_met_or_not_yet_due_is_no_longer_overdue(world: World, users: Any) -> None:
    need_advance(acting_user=None, need=world.overdue_a, to_status="to_match")
    assert todo(users.worker_a, "needs.overdue").count == 1  # still open: still overdue
    need_advance(acting_user=None, need=world.overdue_a, to_status="unmet", unmet_reason="资源不足")
    assert todo(users.worker_a, "needs.overdue").count == 0


def test_needs_due_soon(world: World, users: Any) -> None:
    item = todo(users.worker_a, "needs.due_soon")
    assert item.count == 1 and _texts(item) == {"甲将到期"}
    assert listed(users.worker_a, item) == 1
    assert todo(users.worker_b, "needs.due_soon").count == 0


def test_referrals_waiting_for_the_users_organization(world: World, tree: Any, users: Any) -> None:
    org, other = make_org(tree.street, name="如北辰"), make_org(tree.street, name="海燕")
    window = (TODAY - datetime.timedelta(days=30), TODAY + datetime.timedelta(days=30))
    resource = make_resource(org, tree.community_a, period=window)
    need_accept(acting_user=None, need=world.soon_a, resource=resource)
    staff = UserFactory(username="org_staff", role=Role.ORG_STAFF, organization=org)
    stranger = UserFactory(username="other_staff", role=Role.ORG_STAFF, organization=other)
    item = todo(staff, "needs.referrals")
    assert item.count == 1 and [e.label.split("：", 1)[1].split("（", 1)[0] for e in item.first] == [
        "甲将到期"
    ]
    assert item.url == "/needs/referrals/"
    assert todo(stranger, "needs.referrals").count == 0
    assert not applies(users.worker_a, "needs.referrals")  # no organization of its own
    # the organization's other to-dos are the needs referred to it
    assert todo(staff, "needs.due_soon").count == 1 and todo(staff, "needs.overdue").count == 0
    referral_accept(acting_user=staff, referral=Referral.objects.get(need=world.soon_a))
    assert todo(staff, "needs.referrals").count == 0  # accepted: no longer waiting
