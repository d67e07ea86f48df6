"""Two-factor sign-in: enrolment, the second step, recovery codes, and who must use it."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.accounts import services
from wushe.core.models import AccessEvent, AccessEventKind

PASSWORD = "wushe-test-pass"
PAGES = ["/", "/registry/persons/", "/reports/", "/admin/", "/accounts/2fa/verify/"]


def _code(device: TOTPDevice) -> str:
    """A valid code not used before: the device refuses a time step at or before the last one
    it accepted, and accepts one step either side of now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = totp.t()
    step = max(device.last_t + 1, now - 1)
    assert step <= now + 1, "no unused step left for this device"
    totp.time = time.time() + (step - now) * device.step
    return f"{totp.token():06d}"


def _device(user: Any) -> TOTPDevice:
    device = services.totp_device_create(acting_user=user)
    services.totp_device_confirm(acting_user=user, device=device, token=_code(device))
    device.refresh_from_db()
    return device


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings: Any) -> None:
    """django-otp waits 2**n seconds after n failures; the tests give the right code at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _password_login(client: Client, username: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


@override_settings(WUSHE_2FA_REQUIRED=True)
def test_required_street_admin_without_device_is_sent_to_enrolment_everywhere(users: Any) -> None:
    client = Client()
    _password_login(client, "street")
    for page in ["/", "/registry/persons/", "/reports/", "/admin/", "/accounts/2fa/verify/"]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/accounts/2fa/setup/"), (page, response["Location"])
    # the API with the session: 403; the enrolment pages open
    assert client.get("/api/v1/persons").status_code == 403
    assert client.get("/accounts/2fa/setup/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


@override_settings(WUSHE_2FA_REQUIRED=True)
def test_required_superuser_too(users: Any) -> None:
    client = Client()
    _password_login(client, "root")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/setup/")


@override_settings(WUSHE_2FA_REQUIRED=True)
def test_required_does_not_touch_other_roles(users: Any) -> None:
    client = Client()
    _password_login(client, "worker_a")
    assert client.get("/registry/persons/").status_code == 200


@override_settings(WUSHE_2FA_REQUIRED=True)
def test_bearer_tokens_keep_working_for_a_required_user(users: Any) -> None:
    token = services.api_token_issue(user=users.street_admin, name="t")
    client = Client()
    assert client.get("/api/v1/persons", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # a session owing its code gets nothing from a bogus bearer header either
    _password_login(client, "street")
    assert client.get("/api/v1/persons", headers={"Authorization": "Bearer nonsense"}).status_code == 401


@override_settings(WUSHE_2FA_REQUIRED=True)
def test_enrolment_through_the_pages(users: Any) -> None:
    client = Client()
    _password_login(client, "street")
    assert client.post("/accounts/2fa/setup/", {"action": "start"}).status_code == 302
    page = client.get("/accounts/2fa/setup/")
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body  # the QR code, inline (CSP: img-src data:)
    device = TOTPDevice.objects.get(user=users.street_admin)
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', body)
    assert secret is not None and len(secret.group(1)) == 32
    # a wrong code is refused, nothing confirmed
    assert client.post("/accounts/2fa/setup/", {"action": "confirm", "token": "000000"}).status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    response = client.post("/accounts/2fa/setup/", {"action": "confirm", "token": _code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.content.decode())
    assert len(codes) == 10
    # stored hashed, never in clear
    stored = list(StaticToken.objects.filter(device__user=users.street_admin).values_list("token", flat=True))
    assert (
        len(stored) == 10
        and not set(stored) & {c.replace("-", "") for c in codes}
        and not set(stored) & set(codes)
    )
    # the session is verified: pages open
    assert client.get("/registry/persons/").status_code == 200
    assert (
        AccessEvent.objects.filter(kind=AccessEventKind.TWO_FACTOR_ENROL, user=users.street_admin).count()
        == 1
    )


@pytest.mark.parametrize("required", [True, False])
def test_with_a_device_login_needs_the_code(users: Any, settings: Any, required: bool) -> None:
    settings.WUSHE_2FA_REQUIRED = required
    device = _device(users.worker_a)
    client = Client()
    response = _password_login(client, "worker_a")
    assert response.status_code == 302
    page = client.get("/registry/persons/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/2fa/verify/")
    assert client.get("/api/v1/persons").status_code == 403
    # wrong code: refused, recorded, counted like a failed login
    wrong = client.post(
        "/accounts/2fa/verify/", {"token": "123456" if _code(device) != "123456" else "654321"}
    )
    assert wrong.status_code == 400
    assert client.get("/registry/persons/").status_code == 302
    assert AccessEvent.objects.filter(kind=AccessEventKind.TWO_FACTOR_FAILED, user=users.worker_a).exists()
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="worker_a").get().failures_since_start == 1
    # the right code: in
    device.refresh_from_db()
    ok = client.post("/accounts/2fa/verify/", {"token": _code(device), "next": "/registry/persons/"})
    assert ok.status_code == 302 and ok["Location"] == "/registry/persons/"
    assert client.get("/registry/persons/").status_code == 200


def test_a_recovery_code_works_once(users: Any) -> None:
    _device(users.worker_a)
    codes = services.recovery_codes_regenerate(
        acting_user=users.worker_a, token=_code(TOTPDevice.objects.get(user=users.worker_a))
    )
    client = Client()
    _password_login(client, "worker_a")
    response = client.post("/accounts/2fa/verify/", {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/registry/persons/").status_code == 200
    client.post("/accounts/logout/")
    other = Client()
    _password_login(other, "worker_a")
    assert other.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 400  # used
    assert other.post("/accounts/2fa/verify/", {"token": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=users.worker_a).count() == 8


def test_without_required_the_password_alone_signs_in(users: Any, settings: Any) -> None:
    settings.WUSHE_2FA_REQUIRED = False
    client = Client()
    assert _password_login(client, "street").status_code == 302
    assert client.get("/registry/persons/").status_code == 200
    assert client.get("/settings/").status_code == 200


def test_disable_asks_for_a_code_and_is_refused_where_required(users: Any, settings: Any) -> None:
    device = _device(users.worker_a)
    client = Client()
    client.force_login(users.worker_a)
    client.post("/accounts/2fa/verify/", {"token": _code(device)})
    assert client.post("/accounts/2fa/", {"action": "disable", "token": "000000"}).status_code == 400
    assert TOTPDevice.objects.filter(user=users.worker_a).exists()
    device.refresh_from_db()
    assert client.post("/accounts/2fa/", {"action": "disable", "token": _code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=users.worker_a).exists()
    assert AccessEvent.objects.filter(kind=AccessEventKind.TWO_FACTOR_DISABLE).count() == 1
    assert client.get("/registry/persons/").status_code == 200

    settings.WUSHE_2FA_REQUIRED = True
    admin_device = _device(users.street_admin)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.two_factor_disable(acting_user=users.street_admin, token=_code(admin_device))
    assert TOTPDevice.objects.filter(user=users.street_admin, confirmed=True).exists()


def test_replacing_the_authenticator_needs_a_code(users: Any) -> None:
    _device(users.worker_a)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.totp_device_create(acting_user=users.worker_a, token="")
    assert TOTPDevice.objects.filter(user=users.worker_a).count() == 1


def test_wrong_codes_are_throttled(users: Any, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = _device(users.worker_a)
    client = Client()
    _password_login(client, "worker_a")
    assert client.post("/accounts/2fa/verify/", {"token": "000000"}).status_code == 400
    # right away, even the right code waits for the throttle
    assert client.post("/accounts/2fa/verify/", {"token": _code(device)}).status_code == 400
    assert client.get("/registry/persons/").status_code == 302


def test_too_many_wrong_codes_end_the_session_like_failed_logins(users: Any, settings: Any) -> None:
    device = _device(users.worker_a)
    client = Client()
    _password_login(client, "worker_a")
    statuses = [client.post("/accounts/2fa/verify/", {"token": "abcdefghij"}).status_code for _ in range(5)]
    assert statuses[:4] == [400] * 4
    assert statuses[4] == 429  # django-axes' lockout page
    response = client.get("/registry/persons/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]  # signed out
    # and the password is refused until the cool-off ends
    assert _password_login(client, "worker_a").status_code == 429
    assert AccessEvent.objects.filter(kind=AccessEventKind.TWO_FACTOR_FAILED).count() == 5
    assert device.pk


def test_a_session_held_for_a_device_switched_off_elsewhere_is_let_go(users: Any) -> None:
    device = _device(users.worker_a)
    held = Client()
    _password_login(held, "worker_a")
    assert held.get("/registry/persons/").status_code == 302
    services.two_factor_disable(acting_user=users.worker_a, token=_code(device))
    response = held.get("/accounts/2fa/verify/?next=/registry/persons/")
    assert response.status_code == 302 and response["Location"] == "/registry/persons/"
    assert held.get("/registry/persons/").status_code == 200
