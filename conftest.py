"""Suite-wide test settings."""

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Password hashing is not under test; PBKDF2's million rounds would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
