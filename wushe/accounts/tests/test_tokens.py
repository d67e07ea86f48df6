"""API tokens: issued once, stored as a hash, and the ``issue_token`` command."""

from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from wushe.accounts.models import ApiToken
from wushe.accounts.services import api_token_authenticate, api_token_issue


def _issue(username: str, *args: str) -> str:
    out = StringIO()
    call_command("issue_token", username, *args, stdout=out)
    return out.getvalue().strip()


def test_issue_token_prints_a_token_that_authenticates(users: Any) -> None:
    token = _issue("worker_a")
    assert token.startswith("ws_")
    assert len(token) > 40
    assert api_token_authenticate(key=token) == users.worker_a
    response = Client().get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [r["code"] for r in response.json()["items"]] == ["371602003001", "371602003001001"]
    stored = ApiToken.objects.get()
    assert stored.user == users.worker_a
    assert stored.name == "cli"
    assert stored.prefix == token[:8]
    assert stored.last_used_at is not None


def test_issue_token_with_a_name(users: Any) -> None:
    _issue("street", "--name", "备份脚本")
    assert ApiToken.objects.get().name == "备份脚本"


def test_each_call_issues_a_new_token(users: Any) -> None:
    first, second = _issue("worker_a"), _issue("worker_a")
    assert first != second
    assert api_token_authenticate(key=first) == api_token_authenticate(key=second) == users.worker_a
    assert ApiToken.objects.count() == 2


@pytest.mark.parametrize("username", ["no-such-user", ""])
def test_unknown_user_is_a_command_error(users: Any, username: str) -> None:
    with pytest.raises(CommandError):
        _issue(username)
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token(users: Any) -> None:
    users.worker_a.is_active = False
    users.worker_a.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        _issue("worker_a")
    assert not ApiToken.objects.exists()


def test_only_the_hash_is_stored(users: Any) -> None:
    token = api_token_issue(user=users.worker_a, name="t")
    stored = ApiToken.objects.get()
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        cells = [str(c) for row in cursor.fetchall() for c in row]
    assert not any(token in c or token[8:] in c for c in cells)


def test_wrong_revoked_or_inactive_tokens_do_not_authenticate(users: Any) -> None:
    from django.utils import timezone

    token = api_token_issue(user=users.worker_a)
    assert api_token_authenticate(key=token + "x") is None
    assert api_token_authenticate(key="") is None
    ApiToken.objects.update(revoked_at=timezone.now())
    assert api_token_authenticate(key=token) is None
    token2 = api_token_issue(user=users.worker_b)
    users.worker_b.is_active = False
    users.worker_b.save(update_fields=["is_active"])
    assert api_token_authenticate(key=token2) is None
