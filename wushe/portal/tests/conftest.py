"""Fixtures of the portal's tests: a studio serving 甲社区, a unit to refer to, a clean cache
(the rate limits' counters) for every test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.factories import OrganizationFactory
from wushe.partners.models import OrganizationKind


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    from wushe.appeals import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def studio(tree: Any) -> Any:
    from wushe.appeals.services import studio_create

    org = OrganizationFactory(region=tree.community_a, kind=OrganizationKind.STUDIO, name="甲社区工作室")
    return studio_create(acting_user=None, organization=org)


@pytest.fixture
def unit(tree: Any) -> Any:
    from wushe.partners.services import responsibility_unit_create

    return responsibility_unit_create(
        acting_user=None, region=tree.community_a, kind="community", name="甲社区居委会"
    )


def submit(community: Any, **overrides: Any) -> Any:
    from wushe.portal import services

    data = {
        "content": "楼道灯坏了，晚上看不见",
        "category": "help",
        "address": "甲社区3号楼",
        "community": community,
        "requester_name": "王阿姨",
        "requester_phone": "13912345678",
        "wants_visit": True,
        "consent": True,
    }
    data.update(overrides)
    return services.submission_create(**data)
