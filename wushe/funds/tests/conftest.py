"""Fixtures of the funds' tests: a charity, a fund in 甲社区 with a committee of five, a payer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import OrganizationFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.funds.services import committee_set, fund_create
from wushe.partners.models import OrganizationKind

CHARITY_CODE = "53371602MJ0000010F"
OTHER_CODE = "51371602MJ0000020N"


@dataclass
class FundWorld:
    charity: Any
    fund: Any
    other_fund: Any
    staff: Any  # 甲社区's community staff
    staff_b: Any
    chair: Any
    supervisor: Any
    members: list[Any]
    payer: Any
    street_admin: Any


@pytest.fixture
def fw(tree: Any) -> FundWorld:
    charity = OrganizationFactory(
        region=tree.county, kind=OrganizationKind.COMMUNITY, name="滨城区慈善总会", credit_code=CHARITY_CODE
    )
    fund = fund_create(
        acting_user=None,
        region=tree.community_a,
        name="甲社区慈善基金",
        organization=charity,
        purpose="帮扶困难家庭",
        opened_on=datetime.date(2024, 1, 1),
    )
    other = fund_create(
        acting_user=None,
        region=tree.community_b,
        name="乙社区慈善基金",
        organization=charity,
        purpose="助残",
        opened_on=datetime.date(2024, 1, 1),
    )
    people = [UserFactory(username=f"committee{i}") for i in range(5)]
    committee_set(acting_user=None, fund=fund, chair=people[0], supervisor=people[1], members=people[2:])
    return FundWorld(
        charity=charity,
        fund=fund,
        other_fund=other,
        staff=UserFactory(username="staff_a", role=Role.COMMUNITY_STAFF, region=tree.community_a),
        staff_b=UserFactory(username="staff_b", role=Role.COMMUNITY_STAFF, region=tree.community_b),
        chair=people[0],
        supervisor=people[1],
        members=people,
        payer=UserFactory(username="payer", role=Role.PAYER, region=tree.street),
        street_admin=UserFactory(username="fund_street", role=Role.STREET_ADMIN, region=tree.street),
    )
