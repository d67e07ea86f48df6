"""The access matrix: every page and every API operation, for anonymous users and each role,
on an object in the user's own region and on one in a sibling region.

The pages are found by walking the URL conf and the API operations by reading the OpenAPI
document, so a new endpoint cannot be forgotten: one without an entry in ``PAGES`` or ``API``
fails ``test_every_page_has_an_entry`` / ``test_every_api_operation_has_an_entry``.

Expected everywhere:
- anonymous: redirected to the login page (pages) or 401 (API);
- out of scope: 404 (or 403 where the role lacks the capability altogether), with nothing of
  the object — name, masked or full ID number, phone — in the body;
- in scope: no 404 and no 5xx; 403 exactly when the role lacks the capability;
- the full ID number and phone never appear, except in the answer of a reveal to a role allowed it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wushe.accounts.roles import EXPORT_LEDGER, MANAGE_PERSONS, REGION_ROLES, REVEAL_IDENTIFIERS, Role
from wushe.accounts.services import api_token_issue
from wushe.imports.services import job_create
from wushe.registry.services import household_create

from .factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = object()  # pages anyone may open


@dataclass(frozen=True)
class Entry:
    """How to call one endpoint. ``obj`` names the fixture object its URL or body refers to."""

    method: str = "GET"
    obj: str | None = None  # "person", "household", "region", "import"
    perm: str | None = None  # capability the role needs (403 without it)
    data: Callable[[World, str], dict[str, Any]] | None = None  # body, given world and "own"/"sibling"
    query: Callable[[World, str], str] | None = None
    public: bool = False
    reveals: bool = False  # its answer may carry the full numbers
    list_of: str | None = None  # a list endpoint: the sibling's data must not be in it


def _region_query(world: World, side: str) -> str:
    return f"region={world.region[side].code}"


def _move_data(world: World, side: str) -> dict[str, Any]:
    return {"region": world.grid["own"].pk}


def _search_data(world: World, side: str) -> dict[str, Any]:
    return {"q": world.person[side].id_number}


def _person_body(world: World, side: str) -> dict[str, Any]:
    from .factories import certificate_for, next_id_number

    number = next_id_number()
    return {
        "name": "矩阵测试",
        "id_number": number,
        "region": world.grid[side].code,
        "disability_certificate": certificate_for(number, 6, 2),
    }


PAGES: dict[str, Entry] = {
    "home": Entry(query=_region_query, obj="region"),
    "login": Entry(public=True),
    "logout": Entry(method="POST", public=True),
    "set_language": Entry(method="POST", public=True, data=lambda w, s: {"language": "en", "next": "/"}),
    "registry:person_list": Entry(list_of="person"),
    "registry:person_search": Entry(method="POST", data=_search_data, list_of="person"),
    "registry:person_create": Entry(perm=MANAGE_PERSONS),
    "registry:person_detail": Entry(obj="person"),
    "registry:person_edit": Entry(obj="person", perm=MANAGE_PERSONS),
    "registry:person_reveal": Entry(method="POST", obj="person", perm=REVEAL_IDENTIFIERS, reveals=True),
    "registry:person_deregister": Entry(
        method="POST",
        obj="person",
        perm=MANAGE_PERSONS,
        data=lambda w, s: {"status": "moved", "note": "矩阵"},
    ),
    "registry:person_move": Entry(method="POST", obj="person", perm=MANAGE_PERSONS, data=_move_data),
    "registry:household_detail": Entry(obj="household"),
    "registry:ledger": Entry(obj="region", query=_region_query),
    "registry:ledger_export": Entry(obj="region", query=_region_query, perm=EXPORT_LEDGER),
    "imports:job_list": Entry(perm=MANAGE_PERSONS, list_of="import"),
    "imports:job_detail": Entry(obj="import", perm=MANAGE_PERSONS),
    "imports:job_mapping": Entry(method="POST", obj="import", perm=MANAGE_PERSONS, data=lambda w, s: {}),
    "imports:job_commit": Entry(method="POST", obj="import", perm=MANAGE_PERSONS),
    "imports:job_progress": Entry(obj="import", perm=MANAGE_PERSONS),
    "imports:job_errors": Entry(obj="import", perm=MANAGE_PERSONS),
}

API: dict[str, Entry] = {
    "GET /api/v1/regions": Entry(list_of="region"),
    "GET /api/v1/persons": Entry(list_of="person"),
    "POST /api/v1/persons/search": Entry(method="POST", data=_search_data, list_of="person"),
    "POST /api/v1/persons": Entry(method="POST", data=_person_body, perm=MANAGE_PERSONS, obj="region"),
    "GET /api/v1/persons/{person_id}": Entry(obj="person", query=lambda w, s: "reveal=true", reveals=True),
    "PATCH /api/v1/persons/{person_id}": Entry(
        method="PATCH", obj="person", perm=MANAGE_PERSONS, data=lambda w, s: {"address": "矩阵路1号"}
    ),
    "GET /api/v1/stats": Entry(obj="region", query=_region_query),
    "GET /api/v1/imports": Entry(perm=MANAGE_PERSONS, list_of="import"),
    "GET /api/v1/imports/{job_id}": Entry(obj="import", perm=MANAGE_PERSONS),
}

# URL-conf namespaces that are not wushe's own pages: the admin has its own staff check,
# tested below; the API is walked through its OpenAPI document.
SKIP_NAMESPACES = ("admin", "api")


@dataclass
class World:
    """Objects on both sides of a scope boundary, for one role's grant."""

    person: dict[str, Any] = field(default_factory=dict)
    household: dict[str, Any] = field(default_factory=dict)
    region: dict[str, Any] = field(default_factory=dict)
    grid: dict[str, Any] = field(default_factory=dict)
    imports: dict[str, Any] = field(default_factory=dict)

    def object_id(self, kind: str, side: str) -> Any:
        return {
            "person": lambda: self.person[side].pk,
            "household": lambda: self.household[side].pk,
            "import": lambda: self.imports[side].pk,
        }[kind]()


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if ns in SKIP_NAMESPACES:
                continue
            found += _walk(p.url_patterns, prefix + str(p.pattern), f"{ns}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{namespace}{p.name}", p))
        elif isinstance(p, URLPattern):
            found.append((prefix + str(p.pattern), p))
    return found


def _page_names() -> set[str]:
    return {name for name, _p in _walk(get_resolver().url_patterns) if not name.startswith("static")}


def _api_operations(client: Client) -> set[str]:
    spec = client.get("/api/v1/openapi.json").json()
    return {f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops}


def test_every_page_has_an_entry() -> None:
    missing = _page_names() - set(PAGES)
    assert not missing, f"pages without an access-matrix entry: {sorted(missing)}"


def test_every_api_operation_has_an_entry(client: Client) -> None:
    missing = _api_operations(client) - set(API)
    assert not missing, f"API operations without an access-matrix entry: {sorted(missing)}"


# ---- the world: a role granted on a region, with objects inside and in a sibling ----------

ROLES_ON_STREET = (Role.STREET_ADMIN, Role.LEADER)
ROLES = tuple(Role)


def _csv_job(region: Any) -> Any:
    from .factories import next_id_number

    body = f"姓名,身份证号,联系电话\n矩阵导入,{next_id_number()},13800000000\n".encode()
    return job_create(acting_user=None, region=region, fileobj=io.BytesIO(body), name="台账.csv")


def _world(tree: Any, role: str) -> tuple[World, Any]:
    """The role's user, granted on the street (street roles) or on 甲社区 (the others); the
    sibling is the other street or 乙社区."""
    on_street = role in ROLES_ON_STREET
    own_region = tree.street if on_street else tree.community_a
    sibling_region = tree.other_street if on_street else tree.community_b
    own_grid = tree.grid_a
    sibling_grid = tree.community_c if on_street else tree.grid_b
    world = World(
        region={"own": own_region, "sibling": sibling_region}, grid={"own": own_grid, "sibling": sibling_grid}
    )
    for side, grid in (("own", own_grid), ("sibling", sibling_grid)):
        person = PersonFactory(
            region=grid, phone=f"1390000{1 if side == 'own' else 2:04d}", category=6, level=2
        )
        world.person[side] = person
        world.household[side] = household_create(acting_user=None, head=person)
        world.imports[side] = _csv_job(grid)
    user = UserFactory(username=f"matrix_{role}", role=role, region=own_region)
    return world, user


def _secrets(world: World, typed: str = "") -> list[str]:
    """Full numbers; ``typed`` is what the user typed into a search box (echoing it back is no leak)."""
    found = [p.id_number for p in world.person.values()] + [p.phone for p in world.person.values()]
    return [s for s in found if s != typed]


def _traces(world: World, side: str, typed: str = "") -> list[str]:
    """What of an object must not leak across the boundary."""
    p = world.person[side]
    return [t for t in (p.name, p.id_masked, p.phone_masked, p.id_number, p.phone) if t != typed]


def _typed(data: dict[str, Any] | None) -> str:
    return str((data or {}).get("q", ""))


def _page_url(name: str, entry: Entry, world: World, side: str) -> str:
    from django.urls import reverse

    kwargs = {"pk": world.object_id(entry.obj, side)} if entry.obj and entry.obj != "region" else {}
    url = reverse(name, kwargs=kwargs)
    if entry.query:
        url += "?" + entry.query(world, side)
    return url


def _call(client: Client, method: str, url: str, data: dict[str, Any] | None, *, json: bool = False) -> Any:
    if method == "GET":
        return client.get(url)
    if json:
        return client.generic(
            method, url, __import__("json").dumps(data or {}), content_type="application/json"
        )
    return client.post(url, data or {})


def _allowed(user: Any, entry: Entry) -> bool:
    return entry.perm is None or user.has_perm(entry.perm)


# ---- anonymous --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_pages(name: str, tree: Any) -> None:
    entry = PAGES[name]
    world, _user = _world(tree, Role.SOCIAL_WORKER)
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
def test_anonymous_api(operation: str, tree: Any) -> None:
    entry = API[operation]
    world, _user = _world(tree, Role.SOCIAL_WORKER)
    method, path = operation.split(" ", 1)
    url = path.replace("{person_id}", str(world.person["own"].pk))
    if entry.query:
        url += "?" + entry.query(world, "own")
    response = _call(Client(), method, url, entry.data(world, "own") if entry.data else None, json=True)
    assert response.status_code == 401, (operation, response.status_code)


# ---- each role, own and sibling --------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(n for n, e in PAGES.items() if not e.public))
def test_pages_by_role(name: str, role: str, tree: Any) -> None:
    entry = PAGES[name]
    world, user = _world(tree, role)
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
        body = response.content.decode(errors="replace") if not response.streaming else ""
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
            for trace in _traces(world, "sibling", typed):
                assert trace not in body, (name, role, "list leaks sibling", trace)
        if not entry.reveals:
            for secret in _secrets(world, typed):
                assert secret not in body, (name, role, "full number shown")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api_by_role(operation: str, role: str, tree: Any) -> None:
    entry = API[operation]
    world, user = _world(tree, role)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")
    method, path = operation.split(" ", 1)
    sees_region = role in REGION_ROLES
    sides = ("own", "sibling") if entry.obj else ("own",)
    for side in sides:
        url = path.replace("{person_id}", str(world.person[side].pk))
        url = url.replace("{job_id}", str(world.imports[side].pk))
        if entry.query:
            url += "?" + entry.query(world, side)
        data = entry.data(world, side) if entry.data else None
        typed = _typed(data)
        response = _call(client, method, url, data, json=True)
        status = response.status_code
        body = response.content.decode()
        assert status < 500, (operation, role, side, status)
        out_of_scope = side == "sibling" or (entry.obj and not sees_region)
        if out_of_scope:
            # a create into a region out of scope names the region field (422); reads are 404
            expected = (403, 422) if method == "POST" else (403, 404)
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


# ---- the admin site --------------------------------------------------------------------------


def test_admin_is_for_staff_and_scoped(tree: Any) -> None:
    world, worker = _world(tree, Role.SOCIAL_WORKER)
    client = Client()
    client.force_login(worker)
    assert client.get("/admin/registry/person/").status_code == 302  # not staff: to the admin login
    street_admin = UserFactory(username="matrix_admin_staff", role=Role.STREET_ADMIN, region=tree.community_a)
    client.force_login(street_admin)
    response = client.get("/admin/registry/person/")
    assert response.status_code == 200
    body = response.content.decode()
    assert world.person["own"].name in body
    assert world.person["sibling"].name not in body
    for secret in _secrets(world):
        assert secret not in body
    sibling = world.person["sibling"].pk
    assert client.get(f"/admin/registry/person/{sibling}/change/").status_code in (302, 404)
