"""Users, grants and the access log on wushe's own pages: inside the acting user's scope only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import UserFactory
from wushe.accounts import selectors, services
from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import Role
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.core.services import access_event_record

pytestmark = pytest.mark.django_db


def test_a_street_admin_creates_an_account_with_its_grant_inside_the_street(users: Any, tree: Any) -> None:
    user = services.user_register(
        acting_user=users.street_admin,
        username="new_worker",
        display_name="新社工",
        password="a-long-pass-2026",
        role=Role.SOCIAL_WORKER,
        region=tree.community_a,
    )
    assert user.check_password("a-long-pass-2026") and not user.is_staff
    assert list(user.grants.values_list("role", "region")) == [(Role.SOCIAL_WORKER, tree.community_a.pk)]
    actions = set(
        AccessEvent.objects.filter(kind=AccessEventKind.USERS).values_list("detail__action", flat=True)
    )
    assert actions == {"create", "grant"}


def test_nothing_is_granted_outside_the_acting_users_scope(users: Any, tree: Any) -> None:
    with pytest.raises(ValidationError):
        services.user_register(
            acting_user=users.street_admin,
            username="elsewhere",
            display_name="别处",
            password="a-long-pass-2026",
            role=Role.SOCIAL_WORKER,
            region=tree.community_c,
        )
    assert not User.objects.filter(username="elsewhere").exists()
    with pytest.raises(ValidationError):
        services.role_grant(
            acting_user=users.street_admin,
            user=users.worker_a,
            role=Role.STREET_ADMIN,
            region=tree.other_street,
        )
    assert not users.worker_a.grants.filter(region=tree.other_street).exists()


def test_a_weak_password_is_refused_on_the_password_field(users: Any, tree: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.user_register(
            acting_user=users.street_admin,
            username="weak",
            display_name="弱",
            password="12345678",
            role=Role.SOCIAL_WORKER,
            region=tree.community_a,
        )
    assert "password" in caught.value.message_dict


def test_an_account_with_a_grant_elsewhere_cannot_be_deactivated_from_one_street(
    users: Any, tree: Any
) -> None:
    both = UserFactory(username="both", role=Role.SOCIAL_WORKER, region=tree.community_a)
    services.role_grant(user=both, role=Role.SOCIAL_WORKER, region=tree.community_c)
    with pytest.raises(ValidationError):
        services.user_set_active(acting_user=users.street_admin, user=both, active=False)
    both.refresh_from_db()
    assert both.is_active
    services.user_set_active(acting_user=users.street_admin, user=users.worker_a, active=False)
    users.worker_a.refresh_from_db()
    assert not users.worker_a.is_active
    # the street admin sees only the grant inside the street, and may revoke only that one
    visible = selectors.grant_list(user=users.street_admin, target=both)
    assert [g.region_id for g in visible] == [tree.community_a.pk]
    client = Client()
    client.force_login(users.street_admin)
    outside = RoleGrant.objects.get(user=both, region=tree.community_c)
    assert client.post(f"/accounts/grants/{outside.pk}/revoke/").status_code == 404
    assert RoleGrant.objects.filter(pk=outside.pk).exists()


def test_the_user_list_shows_the_streets_users_only(users: Any, tree: Any) -> None:
    other = UserFactory(username="other_street_worker", role=Role.SOCIAL_WORKER, region=tree.community_c)
    listed = set(selectors.user_list(user=users.street_admin).values_list("username", flat=True))
    assert {"worker_a", "worker_b", "street", "leader"} <= listed
    assert other.username not in listed and "root" not in listed
    client = Client()
    client.force_login(users.street_admin)
    assert client.get(f"/accounts/users/{other.pk}/").status_code == 404
    assert client.get(f"/accounts/users/{users.admin.pk}/").status_code == 404
    page = client.get("/accounts/users/").content.decode()
    assert "worker_a" in page and other.username not in page


def test_the_user_list_pages_through_a_street_of_many_accounts(users: Any, tree: Any) -> None:
    """More than a page of accounts (a street's grid workers): the page links keep the query."""
    for n in range(51):
        UserFactory(username=f"grid_worker_{n:02d}", role=Role.SOCIAL_WORKER, region=tree.community_a)
    client = Client()
    client.force_login(users.street_admin)
    response = client.get("/accounts/users/")
    assert response.status_code == 200
    assert 'href="?page=2"' in response.content.decode()
    assert client.get("/accounts/users/", {"page": "2"}).status_code == 200


def test_the_access_log_is_scoped_to_the_viewers_users_and_records(
    users: Any, tree: Any, person_a: Any
) -> None:
    from tests.factories import PersonFactory

    other_worker = UserFactory(
        username="other_street_worker", role=Role.SOCIAL_WORKER, region=tree.community_c
    )
    other_person = PersonFactory(region=tree.community_c)
    access_event_record(kind=AccessEventKind.REVEAL, user=users.worker_a, obj=person_a)
    access_event_record(kind=AccessEventKind.REVEAL, user=other_worker, obj=other_person)
    access_event_record(kind=AccessEventKind.LOGIN, user=other_worker)
    access_event_record(kind=AccessEventKind.LOGIN_FAILED, username="typo_adminn")
    access_event_record(kind=AccessEventKind.LOGIN_FAILED, username="worker_a")
    mine = selectors.access_event_list(user=users.street_admin)
    seen = {(e.username, e.kind, e.object_id) for e in mine}
    assert ("worker_a", AccessEventKind.REVEAL, str(person_a.pk)) in seen
    assert ("worker_a", AccessEventKind.LOGIN_FAILED, "") in seen
    assert not any(e.username in ("other_street_worker", "typo_adminn") for e in mine)
    assert selectors.access_event_list(user=users.admin).count() == 5
    client = Client()
    client.force_login(users.street_admin)
    page = client.get("/accounts/audit/").content.decode()
    assert "worker_a" in page and "typo_adminn" not in page and "other_street_worker" not in page
    client.force_login(users.worker_a)
    assert client.get("/accounts/audit/").status_code == 403
