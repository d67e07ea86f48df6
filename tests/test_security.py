"""The security baseline: login throttling, session lifetime, response headers, passwords and the
production settings."""

from __future__ import annotations

import datetime
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wushe.accounts.roles import Role
from wushe.accounts.services import api_token_issue
from wushe.core.middleware import LOGIN_TIME_KEY

from .conftest import login
from .factories import UserFactory

PASSWORD = "wushe-test-pass"  # the factories' password
BASE_DIR = Path(__file__).resolve().parent.parent


def _post_login(client: Client, username: str, password: str, ip: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# ---- login throttling (django-axes) -------------------------------------------------------


@pytest.fixture
def worker(tree: Any) -> Any:
    return UserFactory(username="lockme", role=Role.SOCIAL_WORKER, region=tree.community_a)


def test_sixth_attempt_refused_even_from_new_addresses_and_with_the_right_password(worker: Any) -> None:
    """Five wrong passwords from five addresses lock the username; the sixth attempt, from yet
    another address and with the right password, is refused with a bilingual message."""
    for i in range(1, 5):
        response = _post_login(Client(), "lockme", "wrong-password", f"10.0.0.{i}")
        assert response.status_code == 200  # the form again, with its error
    fifth = _post_login(Client(), "lockme", "wrong-password", "10.0.0.5")
    assert fifth.status_code == 429

    client = Client()
    sixth = _post_login(client, "lockme", PASSWORD, "192.168.7.8")
    assert sixth.status_code == 429
    assert not _logged_in(client)
    page = sixth.content.decode()
    assert "登录已暂停" in page and "Too many failed login attempts" in page


def test_fewer_failures_do_not_lock_and_other_usernames_are_not_locked(worker: Any, tree: Any) -> None:
    UserFactory(username="neighbour", role=Role.SOCIAL_WORKER, region=tree.community_a)
    for i in range(4):
        _post_login(Client(), "lockme", "wrong-password", f"10.0.1.{i}")
    client = Client()
    assert _post_login(client, "lockme", PASSWORD, "10.0.1.9").status_code == 302
    assert _logged_in(client)

    for i in range(6):
        _post_login(Client(), "lockme", "wrong-password", f"10.0.2.{i}")
    other = Client()
    assert _post_login(other, "neighbour", PASSWORD, "10.0.2.1").status_code == 302
    assert _logged_in(other)


def test_lock_lifts_after_fifteen_minutes(worker: Any) -> None:
    from axes.models import AccessAttempt

    for i in range(5):
        _post_login(Client(), "lockme", "wrong-password", f"10.0.3.{i}")
    assert _post_login(Client(), "lockme", PASSWORD, "10.0.3.9").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    client = Client()
    assert _post_login(client, "lockme", PASSWORD, "10.0.3.9").status_code == 302
    assert _logged_in(client)


def test_client_login_still_works_with_throttling_on(worker: Any) -> None:
    client = Client()
    assert client.login(username="lockme", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    assert not Client().login(username="lockme", password="wrong-password")


def test_api_bearer_tokens_are_not_throttled(worker: Any) -> None:
    token = api_token_issue(user=worker, name="t")
    for i in range(6):
        _post_login(Client(), "lockme", "wrong-password", f"10.0.4.{i}")
    assert _post_login(Client(), "lockme", PASSWORD, "10.0.4.9").status_code == 429
    response = Client().get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    for _ in range(8):  # wrong tokens are refused, and do not lock the username either
        assert Client().get("/api/v1/regions", HTTP_AUTHORIZATION="Bearer ws_wrong").status_code == 401
    assert Client().get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


# ---- sessions ---------------------------------------------------------------------------


def test_new_session_key_at_login(worker: Any) -> None:
    """Session fixation: the key a visitor had before logging in is not the key after."""
    client = Client()
    before = client.session  # an anonymous session with a key of its own
    before["seen"] = True
    before.save()
    old_key = before.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == old_key

    assert _post_login(client, "lockme", PASSWORD, "10.0.5.1").status_code == 302
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert _logged_in(client)


def test_session_expires_after_thirty_idle_minutes(users: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client = login(users.worker_a)
    key = client.session.session_key
    # every request pushes the expiry 30 minutes on
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    assert client.get(reverse("home")).status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=29)
    # 30 idle minutes later the session is gone
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_session_ends_twelve_hours_after_login_whatever_the_activity(users: Any) -> None:
    assert settings.WUSHE_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    client = login(users.worker_a)
    assert isinstance(client.session[LOGIN_TIME_KEY], float)  # stored at login

    session = client.session
    session[LOGIN_TIME_KEY] = time.time() - (12 * 60 * 60 - 60)  # 11 h 59 min ago: still in
    session.save()
    assert client.get(reverse("home")).status_code == 200

    session = client.session
    session[LOGIN_TIME_KEY] = time.time() - (12 * 60 * 60 + 1)
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not _logged_in(client)


def test_session_without_login_time_gets_one(users: Any) -> None:
    client = login(users.worker_a)
    session = client.session
    del session[LOGIN_TIME_KEY]
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert abs(client.session[LOGIN_TIME_KEY] - time.time()) < 60


# ---- response headers -------------------------------------------------------------------


def _csp(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/docs", "/api/v1/openapi.json"])
def test_csp_without_inline_scripts(client: Client, path: str, db: Any) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    for values in csp.values():
        assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values


@pytest.mark.parametrize("who", [None, "worker_a"])
def test_pages_carry_no_inline_script_and_no_cdn(client: Client, users: Any, who: str | None) -> None:
    """What the CSP would block must not be there: every <script> is a file of our own or data."""
    if who:
        client.force_login(getattr(users, who))
    for path in ["/accounts/login/", "/api/v1/docs"] + (["/"] if who else []):
        html = client.get(path, follow=True).content.decode()
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
            assert 'src="/static/' in attrs or 'type="application/json"' in attrs, (path, attrs)
            if "src=" in attrs:
                assert not body.strip()
        assert not re.search(r"""(src|href)=["']https?://""", html), path
        assert not re.search(r"\son[a-z]+=", html), path  # no inline event handlers


def test_security_headers(client: Client, db: Any) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_personal_pages_and_api_are_not_stored(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"

    token = api_token_issue(user=users.worker_a, name="t")
    api = Client()
    response = api.get(f"/api/v1/persons/{person_a.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    response = api.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    # an API error is not stored either
    assert Client().get("/api/v1/persons")["Cache-Control"] == "no-store"


def test_nul_characters_refused(client: Client, users: Any) -> None:
    """PostgreSQL cannot store NUL: pages answer 400, the API a 422 naming the parameter."""
    client.force_login(users.worker_a)
    assert client.get(reverse("home") + "?q=a%00b").status_code == 400
    response = client.get("/api/v1/persons?q=a%00b")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


# ---- passwords ----------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["12345678", "password", "abc", "lockme2024"])
def test_weak_password_rejected(worker: Any, weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak, user=worker)


def test_strong_password_accepted(worker: Any) -> None:
    validate_password("橙色-Lantern-47-河堤", user=worker)


# ---- production settings ------------------------------------------------------------------


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(64), **extra)
    return env


def test_deploy_check_is_clean_in_production(tmp_path: Any) -> None:
    # production collects the static files before its first request (README); here a data
    # directory whose static root holds a manifest stands for that (wushe.W001 otherwise)
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(WUSHE_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_switches_https_on() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_production_env(
            DJANGO_SETTINGS_MODULE="wushe.settings", DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "31536000",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]
