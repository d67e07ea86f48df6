"""Suite-wide test settings."""

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client

# the shared fixtures (region tree, users, persons) of tests/fixtures.py, for the app tests under
# wushe/ too: loaded as a plugin here, so no module of the wushe package imports the tests tree
pytest_plugins = ["tests.fixtures"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Password hashing is not under test; PBKDF2's million rounds would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _client_login_passes_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Client.login`` calls ``authenticate()`` without a request, which django-axes refuses
    (AxesBackendRequestParameterRequired). Hand it an empty request, as axes documents, so tests
    can keep using ``client.login(username=..., password=...)`` with throttling switched on.
    ``force_login`` needs nothing."""
    original = Client.login

    def login(self: Client, **credentials: Any) -> bool:
        credentials.setdefault("request", HttpRequest())
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login)
