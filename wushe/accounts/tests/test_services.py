"""The accounts' writes not covered by test_users.py and test_twofactor.py: what a grant may be,
revoking a grant, and the tokens' last-used stamp."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import OrganizationFactory, UserFactory
from wushe.accounts import services
from wushe.accounts.models import ApiToken, RoleGrant
from wushe.accounts.roles import Role
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.core.scoping import visible_regions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("grant", "field"),
    [
        ({"role": "emperor", "region": "street"}, "role"),
        ({"role": Role.SOCIAL_WORKER, "organization": True}, "organization"),
        ({"role": Role.ORG_STAFF}, "organization"),
        ({"role": Role.SOCIAL_WORKER}, "region"),
    ],
)
def test_a_grant_that_cannot_be_is_refused_on_its_field(
    users: Any, tree: Any, grant: dict[str, Any], field: str
) -> None:
    kwargs: dict[str, Any] = {"role": grant["role"]}
    if grant.get("region"):
        kwargs["region"] = tree.street
    if grant.get("organization"):
        kwargs["organization"] = OrganizationFactory(region=tree.community_a)
    with pytest.raises(ValidationError) as refused:
        services.role_grant(user=users.nobody, **kwargs)
    assert field in refused.value.message_dict
    assert not users.nobody.grants.exists()


def test_an_organization_role_takes_its_organizations_region(users: Any, tree: Any) -> None:
    org = OrganizationFactory(region=tree.community_b)
    grant = services.role_grant(user=users.nobody, role=Role.ORG_STAFF, organization=org)
    assert (grant.region, grant.organization) == (tree.community_b, org)
    again = services.role_grant(user=users.nobody, role=Role.ORG_STAFF, organization=org)
    assert again.pk == grant.pk and users.nobody.grants.count() == 1  # granting twice is one grant


def test_a_grant_by_an_acting_user_is_recorded_and_opens_the_scope_at_once(users: Any, tree: Any) -> None:
    assert not visible_regions(users.nobody).exists()
    services.role_grant(
        acting_user=users.street_admin, user=users.nobody, role=Role.SOCIAL_WORKER, region=tree.community_b
    )
    assert set(visible_regions(users.nobody)) == {tree.community_b, tree.grid_b}  # no stale cache
    event = AccessEvent.objects.get(kind=AccessEventKind.USERS)
    assert (event.user, event.detail["action"], event.detail["region"]) == (
        users.street_admin,
        "grant",
        tree.community_b.code,
    )


def test_a_grant_needs_the_users_permission(users: Any, tree: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.role_grant(
            acting_user=users.worker_a, user=users.nobody, role=Role.SOCIAL_WORKER, region=tree.community_a
        )
    assert not users.nobody.grants.exists() and not AccessEvent.objects.exists()


def test_revoking_a_grant_closes_the_scope_and_is_recorded(users: Any, tree: Any) -> None:
    grant = users.worker_a.grants.get()
    assert visible_regions(users.worker_a).exists()
    services.role_revoke(acting_user=users.street_admin, grant=grant)
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert not visible_regions(users.worker_a).exists()
    event = AccessEvent.objects.get(kind=AccessEventKind.USERS)
    assert (event.user, event.detail) == (
        users.street_admin,
        {"action": "revoke", "role": Role.SOCIAL_WORKER, "region": tree.community_a.code},
    )


def test_a_grant_outside_the_acting_users_scope_is_not_revoked(users: Any, tree: Any) -> None:
    elsewhere = UserFactory(role=Role.SOCIAL_WORKER, region=tree.community_c)
    grant = elsewhere.grants.get()
    with pytest.raises(ValidationError) as refused:
        services.role_revoke(acting_user=users.street_admin, grant=grant)
    assert "region" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.role_revoke(acting_user=users.worker_b, grant=users.worker_a.grants.get())
    assert RoleGrant.objects.filter(pk=grant.pk).exists() and users.worker_a.grants.exists()
    assert not AccessEvent.objects.exists()


def test_a_token_is_stored_hashed_and_stamped_at_most_once_a_minute(users: Any) -> None:
    key = services.api_token_issue(user=users.worker_a, name="脚本")
    token = ApiToken.objects.get()
    assert key.startswith("ws_") and token.prefix == key[:8] and key not in token.key_hash
    assert services.api_token_authenticate(key=key) == users.worker_a
    stamped = ApiToken.objects.get().last_used_at
    assert stamped is not None
    assert services.api_token_authenticate(key=key) == users.worker_a
    assert ApiToken.objects.get().last_used_at == stamped  # not written again within the minute
    assert services.api_token_authenticate(key=key + "x") is None
