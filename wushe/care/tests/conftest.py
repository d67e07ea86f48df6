"""Fixtures of the care tests: a resident of 甲社区 in a household, the provider (如北辰) with
its staff, and a plan of 居家环境清洁 four times a month and 生活照料 eight times."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.care.models import ServiceType
from wushe.care.services import ServiceLine, care_plan_create
from wushe.core.checks import today
from wushe.partners.models import OrganizationKind
from wushe.registry.services import household_create


def last_month() -> datetime.date:
    return (today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def months_ago(n: int) -> datetime.date:
    day = today().replace(day=1)
    for _ in range(n):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


def stype(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


@dataclass
class CareWorld:
    person: Any
    household: Any
    provider: Any
    other_org: Any
    plan: Any
    worker_a: Any
    worker_b: Any
    org_staff: Any
    other_staff: Any


def make_plan(
    person: Any,
    provider: Any,
    *,
    started_on: datetime.date,
    lines: list[ServiceLine] | None = None,
    **kw: Any,
) -> Any:
    return care_plan_create(
        acting_user=None,
        person=person,
        self_care="partial",
        needs="行动不便，需居家清洁与生活照料",
        assessed_on=started_on,
        provider=provider,
        workers="张三、李四",
        started_on=started_on,
        review_on=started_on + datetime.timedelta(days=365),
        services=lines
        if lines is not None
        else [ServiceLine(stype("cleaning"), 4), ServiceLine(stype("daily_care"), 8)],
        **kw,
    )


@pytest.fixture
def cw(tree: Any) -> CareWorld:
    person = PersonFactory(name="照护对象甲", region=tree.grid_a, category=4, level=1)
    household = household_create(acting_user=None, head=person)
    person.refresh_from_db()
    provider = OrganizationFactory(region=tree.street, kind=OrganizationKind.PROFESSIONAL, name="如北辰社工")
    other = OrganizationFactory(region=tree.street, kind=OrganizationKind.PROFESSIONAL, name="海燕社工")
    plan = make_plan(person, provider, started_on=months_ago(6))
    return CareWorld(
        person=person,
        household=household,
        provider=provider,
        other_org=other,
        plan=plan,
        worker_a=UserFactory(username="care_a", role=Role.SOCIAL_WORKER, region=tree.community_a),
        worker_b=UserFactory(username="care_b", role=Role.SOCIAL_WORKER, region=tree.community_b),
        org_staff=UserFactory(username="care_org", role=Role.ORG_STAFF, organization=provider),
        other_staff=UserFactory(username="care_other", role=Role.ORG_STAFF, organization=other),
    )
