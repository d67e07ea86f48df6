"""Sign-ins, failed sign-ins and sign-outs land in the append-only access-event log."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from wushe.core.models import AccessEvent, AccessEventKind
from wushe.core.services import access_event_record


def test_login_and_logout_are_recorded(users: Any) -> None:
    client = Client()
    assert client.login(username="worker_a", password="wushe-test-pass")
    event = AccessEvent.objects.get()
    assert event.kind == AccessEventKind.LOGIN
    assert event.user == users.worker_a
    assert event.username == "worker_a"
    client.logout()
    assert list(AccessEvent.objects.order_by("id").values_list("kind", "user__username")) == [
        (AccessEventKind.LOGIN, "worker_a"),
        (AccessEventKind.LOGOUT, "worker_a"),
    ]


def test_failed_login_is_recorded_with_the_name_tried(users: Any) -> None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.1.2.3")
    assert authenticate(request, username="worker_a", password="wrong") is None
    event = AccessEvent.objects.get()
    assert event.kind == AccessEventKind.LOGIN_FAILED
    assert event.user is None
    assert event.username == "worker_a"
    assert event.ip == "10.1.2.3"
    # no password ends up in the log
    assert "wrong" not in str(event.detail)
    # an unknown name is recorded too, truncated to the column
    assert authenticate(request, username="x" * 200, password="whatever") is None
    assert AccessEvent.objects.filter(kind=AccessEventKind.LOGIN_FAILED, username="x" * 150).count() == 1


def test_logout_without_login_records_nothing(db: Any) -> None:
    Client().logout()
    assert not AccessEvent.objects.exists()


def test_access_events_are_append_only(users: Any, person_a: Any) -> None:
    event = access_event_record(
        kind=AccessEventKind.REVEAL, user=users.worker_a, obj=person_a, detail={"why": "visit"}
    )
    assert (event.object_type, event.object_id) == ("registry.person", str(person_a.pk))
    event.detail = {"why": "changed"}
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    with pytest.raises(ValueError):
        AccessEvent.objects.filter(pk=event.pk).update(username="someone else")
    with pytest.raises(ValueError):
        AccessEvent.objects.filter(pk=event.pk).delete()
    stored = AccessEvent.objects.get(pk=event.pk)
    assert stored.detail == {"why": "visit"}
    assert stored.username == "worker_a"


def test_anonymous_actor_is_recorded_without_user(db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    event = access_event_record(kind=AccessEventKind.EXPORT, user=AnonymousUser())
    assert event.user is None
    assert event.username == ""
