"""Fixtures of the subsidies' tests: people of 甲社区 with certificates since 2024, a 低保
household, and the users of each approval step."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import PersonFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.registry.household_tags import household_tags_set
from wushe.registry.services import household_create

SINCE = datetime.date(2024, 1, 1)


def disabled(region: Any, *, category: int = 4, level: int = 1, tags: tuple[str, ...] = (), dibao: bool = False,
             name: str = "") -> Any:  # fmt: skip
    """A person with a certificate (and tags) since 2024, heading a household, 低保 if asked."""
    kwargs: dict[str, Any] = {"name": name} if name else {}
    person = PersonFactory(
        region=region,
        category=category,
        level=level,
        tags=list(tags),
        valid_from=SINCE,
        registered_on=SINCE,
        **kwargs,
    )
    household = household_create(acting_user=None, head=person)
    if dibao:
        household_tags_set(acting_user=None, household=household, tags=["dibao"], on=SINCE)
    person.refresh_from_db()
    return person


@dataclass
class People:
    staff: Any
    street_admin: Any
    other_admin: Any
    cdpf: Any
    mca: Any
    payer: Any
    worker_b: Any


@pytest.fixture
def people(tree: Any) -> People:
    return People(
        staff=UserFactory(username="sub_staff", role=Role.COMMUNITY_STAFF, region=tree.community_a),
        street_admin=UserFactory(username="sub_street", role=Role.STREET_ADMIN, region=tree.street),
        other_admin=UserFactory(username="sub_other", role=Role.STREET_ADMIN, region=tree.other_street),
        cdpf=UserFactory(username="sub_cdpf", role=Role.COUNTY_CDPF_REVIEWER, region=tree.county),
        mca=UserFactory(username="sub_mca", role=Role.COUNTY_MCA_APPROVER, region=tree.county),
        payer=UserFactory(username="sub_payer", role=Role.PAYER, region=tree.street),
        worker_b=UserFactory(username="sub_worker_b", role=Role.SOCIAL_WORKER, region=tree.community_b),
    )
