"""The access matrix by role (tests/test_access_matrix.py has the entries and the rules): every
page and API operation of ``PAGES`` and ``API``, for each role, on an object in the user's own
region and on one in a sibling region (the anonymous visitor's:
tests/test_access_matrix_anonymous.py).

The tests by role (about 4,500) are marked ``slow``: ``make test-slow`` and CI run them,
``make test`` leaves them out. Each role's world — both sides' people, households, records, users and grants — is built once
for all the role's tests (``role_world``), not once per test: building the world was most of the suite's time. Each test still runs in its own rolled-back
savepoint, so no test sees another's writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from wushe.accounts.roles import REGION_ROLES, REVEAL_IDENTIFIERS
from wushe.accounts.services import api_token_issue
from wushe.core.exports import XLSX

from .fixtures import make_tree
from .test_access_matrix import (
    API,
    PAGES,
    ROLES,
    World,
    _allowed,
    _api_url,
    _call,
    _page_url,
    _secrets,
    _shown,
    _traces,
    _typed,
    _world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _uploads_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One upload directory for the module: a role's world (built once for its tests) and the
    tests that read its files must agree on where they are."""
    with override_settings(WUSHE_UPLOAD_ROOT=tmp_path_factory.mktemp("uploads")):
        yield


def _built_world(role: str, django_db_blocker: Any) -> Iterator[tuple[World, Any]]:
    """The role's world, built once for all its tests (pages and API) inside a transaction that
    stays open while they run and is rolled back after the last; each test runs in its own
    savepoint inside it (pytest-django's ``django_db``), so what a test writes is gone before the
    next."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                built = _world(make_tree(), role)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def role_world(role: str, django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[World, Any]]:
    """The role's world for all its tests. pytest groups the tests by ``role`` (a module-scoped
    parameter); under xdist the role's tests go to one worker together (the root conftest's
    scheduler)."""
    yield from _built_world(role, django_db_blocker)


# ---- each role, own and sibling (``make test-slow``) --------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES, scope="module")
@pytest.mark.parametrize("name", sorted(n for n, e in PAGES.items() if not e.public))
def test_pages_by_role(name: str, role: str, role_world: tuple[World, Any]) -> None:
    entry = PAGES[name]
    world, user = role_world
    client = Client()
    client.force_login(user)
    sees_region = role in REGION_ROLES
    sides = ("own", "sibling") if entry.obj else ("own",)
    for side in sides:
        url = _page_url(name, entry, world, side)
        data = entry.data(world, side) if entry.data else None
        typed = _typed(data)
        response = _call(client, entry.method, url, data)
        status = response.status_code
        body = _shown(response)
        assert status < 500, (name, role, side, status)
        if side == "sibling" or (entry.obj and not sees_region):
            assert status in (403, 404), (name, role, side, status)
            for trace in _traces(world, "sibling" if side == "sibling" else "own", typed):
                assert trace not in body, (name, role, side, trace)
            continue
        if not _allowed(user, entry):
            assert status == 403, (name, role, status)
            continue
        # 400: the matrix posts no valid form to some actions; what counts is that scope let it through
        assert status in ((200, 302, 400) if entry.method == "POST" else (200, 302)), (
            name,
            role,
            side,
            status,
        )
        if entry.list_of and entry.list_of != "import":
            # an export's rows name their region: the sibling's regions must not appear in one
            exported = response.get("Content-Type") == XLSX
            regions = [world.region["sibling"].name, world.grid["sibling"].name] if exported else []
            for trace in _traces(world, "sibling", typed) + regions:
                assert trace not in body, (name, role, "list leaks sibling", trace)
        if not entry.reveals:
            for secret in _secrets(world, typed):
                assert secret not in body, (name, role, "full number shown")


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES, scope="module")
@pytest.mark.parametrize("operation", sorted(API))
def test_api_by_role(operation: str, role: str, role_world: tuple[World, Any]) -> None:
    entry = API[operation]
    world, user = role_world
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")
    method, path = operation.split(" ", 1)
    sees_region = role in REGION_ROLES
    sides = ("own", "sibling") if entry.obj else ("own",)
    for side in sides:
        url = _api_url(path, entry, world, side)
        if entry.query:
            url += "?" + entry.query(world, side)
        data = entry.data(world, side) if entry.data else None
        typed = _typed(data)
        response = _call(client, method, url, data, json=True)
        status = response.status_code
        body = response.content.decode(errors="replace")  # a PDF is not text
        assert status < 500, (operation, role, side, status)
        out_of_scope = side == "sibling" or (entry.obj and not sees_region)
        if out_of_scope:
            # a create into a region out of scope names the region field (422); reads, and
            # actions on an object out of scope, are 404
            expected = (403, 404, 422) if method == "POST" else (403, 404)
            assert status in expected, (operation, role, side, status)
            for trace in _traces(world, "sibling" if side == "sibling" else "own", typed):
                assert trace not in body, (operation, role, side, trace)
            continue
        if not _allowed(user, entry):
            assert status == 403, (operation, role, status)
            continue
        assert status in (200, 201), (operation, role, side, status, body[:300])
        if entry.list_of == "import":
            ids = {item["id"] for item in response.json()["items"]}
            assert world.imports["own"].pk in ids and world.imports["sibling"].pk not in ids, (
                operation,
                role,
            )
        if entry.list_of:
            for trace in _traces(world, "sibling", typed):
                assert trace not in body, (operation, role, "list leaks sibling", trace)
        may_reveal = entry.reveals and user.has_perm(REVEAL_IDENTIFIERS)
        if not may_reveal:
            for secret in _secrets(world, typed):
                assert secret not in body, (operation, role, "full number shown")
        else:
            assert world.person["own"].id_number in body


# ---- the admin site: tests/test_access_matrix_admin.py walks every admin URL ----------------
