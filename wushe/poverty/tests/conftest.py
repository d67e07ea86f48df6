"""Fixtures of the poverty tests: a 脱贫户 in 甲社区's grid (head and spouse) with the units that
answer for its needs, a household in 乙社区, and the users of the shared tree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import PersonFactory
from tests.outreach_factories import household_in, units_for
from wushe.registry.household_tags import household_tags_set
from wushe.registry.models import Relation
from wushe.registry.services import household_add_member


@dataclass
class PovertyWorld:
    household: Any  # 甲社区第一网格, tagged 脱贫户
    spouse: Any
    other: Any  # 乙社区
    units: dict[str, Any]


@pytest.fixture
def pw(tree: Any, users: Any) -> PovertyWorld:
    units = units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])
    household = household_in(tree.grid_a, name="王大山")
    spouse = PersonFactory(region=tree.grid_a, name="李秀英")
    household_add_member(acting_user=None, household=household, person=spouse, relation=Relation.SPOUSE)
    household_tags_set(acting_user=None, household=household, tags=["tuopin"], on=datetime.date(2020, 1, 1))
    household.refresh_from_db()
    other = household_in(tree.grid_b, name="赵小河")
    return PovertyWorld(household=household, spouse=spouse, other=other, units=units)
