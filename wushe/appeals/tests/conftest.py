"""Fixtures of the service-work apps' tests: organizations, a studio, a team, uploads in tmp."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import OrganizationFactory
from wushe.partners.models import OrganizationKind


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.WUSHE_UPLOAD_ROOT = tmp_path / "uploads"


@pytest.fixture
def org_a(tree: Any) -> Any:
    return OrganizationFactory(
        region=tree.street, kind=OrganizationKind.PROFESSIONAL, name="滨州市如北辰社会工作服务中心"
    )


@pytest.fixture
def org_b(tree: Any) -> Any:
    return OrganizationFactory(
        region=tree.street, kind=OrganizationKind.PROFESSIONAL, name="滨城区海燕社会工作服务中心"
    )


@pytest.fixture
def studio(tree: Any) -> Any:
    from wushe.appeals.services import studio_create

    org = OrganizationFactory(region=tree.community_a, kind=OrganizationKind.STUDIO, name="甲社区工作室")
    return studio_create(acting_user=None, organization=org, teams={"party": "张三（党代表）"})


@pytest.fixture
def unit(tree: Any, org_a: Any) -> Any:
    from wushe.partners.services import responsibility_unit_create

    return responsibility_unit_create(
        acting_user=None, region=tree.street, kind="organization", organization=org_a
    )


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Any:
    """The calendar cache outlives a test's rolled-back transaction: start and end clean."""
    from wushe.appeals import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()
