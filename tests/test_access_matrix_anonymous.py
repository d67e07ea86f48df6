"""The access matrix for an anonymous visitor: every page sends to the login (the public ones
answer), every API operation answers 401, and no page shows a full number.

The world the visitor tries — a social worker's, both sides' records — is built once for all
these tests (as each role's world in tests/test_access_matrix_roles.py, whose builder and upload
directory this module shares). It lives in a module of its own: a module-scoped world stays open
until its module's last test, and two open at once would build the same regions twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from wushe.accounts.roles import Role

from .test_access_matrix import API, PAGES, World, _api_url, _call, _page_url, _secrets
from .test_access_matrix_roles import _built_world, _uploads_in_tmp  # noqa: F401 — a module-scoped autouse fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def anonymous_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[World, Any]]:
    """A social worker's world, whose pages and API operations an anonymous visitor tries: built
    once for all the anonymous tests (one worker takes them together)."""
    yield from _built_world(Role.SOCIAL_WORKER, django_db_blocker)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_pages(name: str, anonymous_world: tuple[World, Any]) -> None:
    entry = PAGES[name]
    world, _user = anonymous_world
    url = _page_url(name, entry, world, "own")
    response = _call(Client(), entry.method, url, entry.data(world, "own") if entry.data else None)
    if entry.public:
        assert response.status_code in (200, 302), (name, response.status_code)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            name,
            response.status_code,
        )
    body = response.content.decode(errors="replace")
    for secret in _secrets(world):
        assert secret not in body


@pytest.mark.parametrize("operation", sorted(API))
def test_anonymous_api(operation: str, anonymous_world: tuple[World, Any]) -> None:
    entry = API[operation]
    world, _user = anonymous_world
    method, path = operation.split(" ", 1)
    url = _api_url(path, entry, world, "own")
    if entry.query:
        url += "?" + entry.query(world, "own")
    response = _call(Client(), method, url, entry.data(world, "own") if entry.data else None, json=True)
    assert response.status_code == 401, (operation, response.status_code)
