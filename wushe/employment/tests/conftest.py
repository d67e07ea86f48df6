"""Fixtures of the employment tests: a street's organizations and the users who work there."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.core.checks import today
from wushe.core.idgen import make_id_number
from wushe.partners.models import OrganizationKind
from wushe.registry.services import household_create

ENTERPRISE_CODE = "91371602MA3C00001L"  # passes GB 32100


def working_age_person(
    region: Any, *, age: int = 35, seq: int = 11, category: int | None = 4, **kw: Any
) -> Any:
    birth = today().replace(month=1, day=1) - datetime.timedelta(days=365 * age)
    return PersonFactory(
        region=region, id_number=make_id_number("371602", birth, seq), category=category, level=3, **kw
    )


@dataclass
class EmpWorld:
    tree: Any
    org: Any
    staff: Any  # 甲社区's community staff (keeps the lists, approves for the provider)
    worker: Any  # 甲社区's social worker (outreach)
    worker_b: Any
    street_admin: Any
    leader: Any
    people: list[Any]  # working-age disabled residents of 甲社区, each the head of a household
    households: list[Any]


@pytest.fixture
def ew(tree: Any) -> EmpWorld:
    people = [working_age_person(tree.grid_a, seq=11 + 2 * i, age=25 + i) for i in range(4)]
    households = [household_create(acting_user=None, head=p) for p in people]
    for p in people:
        p.refresh_from_db()
    return EmpWorld(
        tree=tree,
        org=OrganizationFactory(region=tree.street, kind=OrganizationKind.PROFESSIONAL, name="海燕社工中心"),
        staff=UserFactory(username="emp_staff", role=Role.COMMUNITY_STAFF, region=tree.community_a),
        worker=UserFactory(username="emp_worker", role=Role.SOCIAL_WORKER, region=tree.community_a),
        worker_b=UserFactory(username="emp_worker_b", role=Role.SOCIAL_WORKER, region=tree.community_b),
        street_admin=UserFactory(username="emp_street", role=Role.STREET_ADMIN, region=tree.street),
        leader=UserFactory(username="emp_leader", role=Role.LEADER, region=tree.street),
        people=people,
        households=households,
    )
