"""The accounts' scoped reads: the users and grants a user may open."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from tests.factories import UserFactory
from wushe.accounts import selectors
from wushe.accounts.roles import Role
from wushe.accounts.services import role_grant

pytestmark = pytest.mark.django_db


def test_a_user_of_another_street_is_404_like_a_missing_one(users: Any, tree: Any) -> None:
    elsewhere = UserFactory(username="elsewhere", role=Role.SOCIAL_WORKER, region=tree.community_c)
    assert selectors.get_user_for_user(user=users.street_admin, pk=users.worker_a.pk) == users.worker_a
    for pk in (elsewhere.pk, users.admin.pk, 999999, "x", None):
        with pytest.raises(Http404):
            selectors.get_user_for_user(user=users.street_admin, pk=pk)
    assert selectors.get_user_for_user(user=users.admin, pk=elsewhere.pk) == elsewhere


def test_an_account_is_wholly_in_scope_only_when_every_grant_is(users: Any, tree: Any) -> None:
    assert selectors.user_is_wholly_in_scope(user=users.street_admin, target=users.worker_a)
    role_grant(user=users.worker_a, role=Role.SOCIAL_WORKER, region=tree.community_c)
    assert not selectors.user_is_wholly_in_scope(user=users.street_admin, target=users.worker_a)
    assert not selectors.user_is_wholly_in_scope(user=users.street_admin, target=users.admin)
    assert selectors.user_is_wholly_in_scope(user=users.admin, target=users.worker_a)


def test_grants_are_read_inside_the_scope(users: Any, tree: Any) -> None:
    outside = role_grant(user=users.worker_a, role=Role.SOCIAL_WORKER, region=tree.community_c)
    inside = users.worker_a.grants.get(region=tree.community_a)
    assert list(selectors.grant_list(user=users.street_admin, target=users.worker_a)) == [inside]
    assert set(selectors.grant_list(user=users.admin, target=users.worker_a)) == {inside, outside}
    assert selectors.get_grant_for_user(user=users.street_admin, pk=inside.pk) == inside
    for pk in (outside.pk, 999999, "x"):
        with pytest.raises(Http404):
            selectors.get_grant_for_user(user=users.street_admin, pk=pk)
    assert selectors.get_grant_for_user(user=users.admin, pk=outside.pk) == outside
