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
def team(tree: Any) -> Any:
    from wushe.accounts.services import user_create
    from wushe.volunteers.services import team_create

    org = OrganizationFactory(
        region=tree.community_a, kind=OrganizationKind.VOLUNTEER_TEAM, name="思源志愿服务队"
    )
    leader = user_create(
        acting_user=None, username="team_leader", password="wushe-test-pass", display_name="王队长"
    )
    return team_create(acting_user=None, organization=org, leader=leader)


@pytest.fixture
def other_team(tree: Any) -> Any:
    from wushe.volunteers.services import team_create

    org = OrganizationFactory(
        region=tree.community_b, kind=OrganizationKind.VOLUNTEER_TEAM, name="活塞志愿服务队"
    )
    return team_create(acting_user=None, organization=org)
