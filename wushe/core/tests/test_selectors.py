"""The scoped reads of regions: a user reads the regions of their grants' subtrees and nothing
else; the roots a page starts from; a region by code (404 outside the scope) or by code or name."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from tests.factories import UserFactory
from wushe.accounts.roles import Role
from wushe.core import selectors
from wushe.core.models import RegionLevel

pytestmark = pytest.mark.django_db


def names(regions: Any) -> list[str]:
    return [r.name for r in regions]


def test_region_list_is_the_granted_subtrees_in_path_order(tree: Any, users: Any) -> None:
    assert names(selectors.region_list(user=users.worker_a)) == ["甲社区", "甲社区第一网格"]
    assert names(selectors.region_list(user=users.street_admin)) == [
        "市西街道", "甲社区", "甲社区第一网格", "乙社区", "乙社区第一网格",
    ]  # fmt: skip
    assert len(selectors.region_list(user=users.admin)) == 8
    assert list(selectors.region_list(user=users.nobody)) == []
    communities = selectors.region_list(user=users.street_admin, level=RegionLevel.COMMUNITY)
    assert names(communities) == ["甲社区", "乙社区"]


def test_region_roots_are_the_top_regions_of_the_grants(tree: Any, users: Any) -> None:
    assert selectors.region_roots_for_user(user=users.worker_a) == [tree.community_a]
    assert selectors.region_roots_for_user(user=users.admin) == [tree.county]  # the tree's top
    assert selectors.region_roots_for_user(user=users.nobody) == []
    # a street and a community inside it give the street; a community elsewhere is a root too
    from wushe.accounts.services import role_grant

    several = UserFactory(username="several", role=Role.COMMUNITY_STAFF, region=tree.community_c)
    role_grant(user=several, role=Role.COMMUNITY_STAFF, region=tree.street)
    role_grant(user=several, role=Role.SOCIAL_WORKER, region=tree.community_a)
    assert selectors.region_roots_for_user(user=several) == [tree.community_c, tree.street]  # by code


def test_a_region_by_code_is_a_404_outside_the_scope(tree: Any, users: Any) -> None:
    assert selectors.get_region_for_user(user=users.worker_a, code=tree.grid_a.code) == tree.grid_a
    for code in (tree.street.code, tree.community_b.code, tree.community_c.code, "999999999999"):
        with pytest.raises(Http404):
            selectors.get_region_for_user(user=users.worker_a, code=code)


def test_region_resolve_by_code_or_name_within_the_scope(tree: Any, users: Any) -> None:
    assert selectors.region_resolve(code_or_name=" 乙社区 ") == tree.community_b  # the operator's CLI
    assert selectors.region_resolve(code_or_name=tree.community_c.code) == tree.community_c
    assert selectors.region_resolve(code_or_name="乙社区", user=users.street_admin) == tree.community_b
    for text, user in (("丙社区", users.street_admin), ("乙社区", users.worker_a), ("无此社区", None)):
        with pytest.raises(Http404):
            selectors.region_resolve(code_or_name=text, user=user)


def test_communities_in_a_region(tree: Any) -> None:
    assert names(selectors.communities_in(tree.street).order_by("code")) == ["甲社区", "乙社区"]
    assert names(selectors.communities_in(tree.county).order_by("code")) == ["丙社区", "甲社区", "乙社区"]
    assert list(selectors.communities_in(tree.grid_a)) == []
