"""Fixtures of the rental tests: a street's 租赁区 (at 如北辰's station), two wheelchairs, a
resident of 甲社区, the site's staff and the region's workers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.core.checks import today
from wushe.partners.models import OrganizationKind
from wushe.rentals.models import DeviceType
from wushe.rentals.services import item_add, rental_create, site_create


@dataclass
class RentalWorld:
    station: Any
    site: Any
    other_site: Any
    chair: Any
    chair2: Any
    person: Any
    person_b: Any
    worker_a: Any
    worker_b: Any
    staff: Any
    admin: Any


def wheelchair() -> DeviceType:
    return DeviceType.objects.get(code="12 22")


def lend(rw: Any, item: Any, person: Any = None, user: Any = None, **kw: Any) -> Any:
    return rental_create(
        acting_user=user,
        person=person or rw.person,
        item=item,
        assessed_by=rw.station,
        assessed_on=kw.pop("assessed_on", kw.get("started_on", today())),
        assessment="下肢无力，需轮椅代步",
        started_on=kw.pop("started_on", today()),
        **kw,
    )


@pytest.fixture
def rw(tree: Any) -> RentalWorld:
    station = OrganizationFactory(region=tree.street, kind=OrganizationKind.FACILITY, name="康复指导站")
    other_station = OrganizationFactory(
        region=tree.other_street, kind=OrganizationKind.FACILITY, name="彭李康复站"
    )
    site = site_create(acting_user=None, region=tree.street, name="康复指导站租赁区", organization=station)
    other = site_create(
        acting_user=None, region=tree.other_street, name="彭李租赁区", organization=other_station
    )
    chair = item_add(
        acting_user=None, site=site, device_type=wheelchair(), serial_number="LY-001", acquired_on=today()
    )
    chair2 = item_add(
        acting_user=None, site=site, device_type=wheelchair(), serial_number="LY-002", acquired_on=today()
    )
    return RentalWorld(
        station=station,
        site=site,
        other_site=other,
        chair=chair,
        chair2=chair2,
        person=PersonFactory(name="租用人甲", region=tree.grid_a, category=4, level=1),
        person_b=PersonFactory(name="租用人乙", region=tree.grid_b),
        worker_a=UserFactory(username="rent_a", role=Role.SOCIAL_WORKER, region=tree.community_a),
        worker_b=UserFactory(username="rent_b", role=Role.SOCIAL_WORKER, region=tree.community_b),
        staff=UserFactory(username="rent_staff", role=Role.ORG_STAFF, organization=station),
        admin=UserFactory(username="rent_admin", role=Role.STREET_ADMIN, region=tree.street),
    )
