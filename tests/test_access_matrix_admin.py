"""The access matrix of the admin namespace: every URL pattern of the admin site — the change
lists, change, history, history form, delete, password and autocomplete views of every registered
model, the site's own views, and any view a library adds later — walked from the URL conf, GET and
POST, with an object in the user's own region and one in a sibling region.

Expected:
- every signed-in user who is not a superuser (a street administrator too, also one still marked
  staff by an older wushe) gets 404 on every admin URL, and no POST changes anything;
- anonymous users are sent to wushe's own login page (never the admin's);
- a superuser may read, but nothing in the admin writes a domain record, no history page shows an
  encrypted value in clear, and no history form exists to revert to.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from wushe.accounts.roles import Role
from wushe.registry.models import Person
from wushe.registry.services import person_update

from .factories import UserFactory
from .test_access_matrix import ROLES, _secrets, _world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _admin_patterns() -> list[tuple[str, URLPattern]]:
    """(route, pattern) of every view under the admin namespace, with its full route text."""
    root = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "admin"
    )
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            else:
                found.append((prefix + str(p.pattern), p))

    walk(root.url_patterns, str(root.pattern))
    return found


def _model_of(route: str) -> type[models.Model] | None:
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def _sample(model: type[models.Model], user: Any, side: str) -> models.Model | None:
    """An object of ``model`` the user may see (own) or may not (sibling)."""
    manager = model._default_manager
    visible_to = getattr(manager, "visible_to", None)
    if visible_to is None:
        return manager.order_by("pk").first()
    visible = visible_to(user)
    if side == "own":
        return visible.order_by("pk").first()
    return manager.exclude(pk__in=visible.values("pk")).order_by("pk").first()


def _version_of(obj: models.Model | None) -> Any:
    history = getattr(obj, "history", None)
    if history is None:
        return 1
    record = history.order_by("history_id").first()
    return record.history_id if record else 1


def _fill(route: str, obj: models.Model | None, model: type[models.Model] | None) -> str:
    """The route with its parameters filled from ``obj``: object ids first, then versions."""
    pk = obj.pk if obj is not None else 1
    values = {
        "object_id": pk,
        "id": pk,
        "app_label": model._meta.app_label if model else "registry",
        "content_type_id": ContentType.objects.get_for_model(model or Person).pk,
        "url": "no-such-page",
    }
    positional = iter([pk, _version_of(obj)])
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), pk)), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values.get(m.group(1), pk)), path)
    path = re.sub(r"\([^)]*\)", lambda m: str(next(positional, pk)), path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


def _admin_urls(user: Any, side: str) -> list[tuple[str, str]]:
    urls = []
    for route, _pattern in _admin_patterns():
        model = _model_of(route)
        obj = _sample(model, user, side) if model else None
        urls.append((route, _fill(route, obj, model)))
    return urls


def _snapshot() -> dict[str, Any]:
    """What a write through the admin would change: every domain row and history row."""
    from django.apps import apps

    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "admin", "axes", "django_tasks_db", "core"}:
            continue
        counts[model._meta.label] = model._default_manager.count()
    people = list(Person.objects.order_by("pk").values_list("pk", "name", "region_id", "phone", "status"))
    return {"counts": counts, "people": people}


def test_the_walk_finds_every_kind_of_admin_view() -> None:
    routes = [route for route, _p in _admin_patterns()]
    assert any(r.endswith("history/") for r in routes)
    assert any("history/([^/]+)" in r for r in routes), "django-simple-history's history form view"
    assert any("autocomplete" in r for r in routes)
    assert any(r.endswith("delete/") for r in routes)
    assert any(r.endswith("password/") for r in routes)
    assert len(routes) >= 6 * len(admin.site._registry)  # list, add, change, delete, history, redirect


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_view_opens_to_a_role(role: str, tree: Any) -> None:
    world, user = _world(tree, role)
    person_update(acting_user=None, person=world.person["sibling"], phone="13911112222")
    if role == Role.STREET_ADMIN:
        user.is_staff = True  # as older wushe marked street administrators
        user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    before = _snapshot()
    for side in ("own", "sibling"):
        for route, url in _admin_urls(user, side):
            got = client.get(url)
            assert got.status_code == 404, (role, side, route, url, got.status_code)
            posted = client.post(url, {"name": "越权修改", "region": world.region["own"].pk, "_save": "1"})
            assert posted.status_code == 404, (role, side, route, url, posted.status_code)
            for secret in _secrets(world):
                assert secret not in got.content.decode(errors="replace")
    assert _snapshot() == before


def test_a_sibling_history_page_answers_404_and_its_post_changes_nothing(tree: Any) -> None:
    world, street_admin = _world(tree, Role.STREET_ADMIN)
    sibling = world.person["sibling"]
    person_update(acting_user=None, person=sibling, phone="13911113333")
    version = sibling.history.order_by("history_id").first().history_id
    client = Client()
    client.force_login(street_admin)
    assert client.get(f"/admin/registry/person/{sibling.pk}/history/").status_code == 404
    form_url = f"/admin/registry/person/{sibling.pk}/history/{version}/"
    assert client.get(form_url).status_code == 404
    before = _snapshot()
    response = client.post(form_url, {"name": "越权修改", "region": world.grid["own"].pk, "_save": "1"})
    assert response.status_code == 404
    assert _snapshot() == before
    sibling.refresh_from_db()
    assert sibling.region_id == world.grid["sibling"].pk and sibling.name != "越权修改"


def test_anonymous_users_are_sent_to_wushes_login(tree: Any) -> None:
    client = Client()
    for route, url in _admin_urls(UserFactory(username="matrix_admin_nobody"), "own"):
        response = client.get(url)
        if response.status_code == 404:  # e.g. the catch-all of an unknown admin page
            continue
        assert response.status_code == 302, (route, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), (route, response["Location"])


def test_a_superuser_reads_but_writes_nothing_and_sees_no_clear_number(tree: Any) -> None:
    world, _user = _world(tree, Role.STREET_ADMIN)
    for side in ("own", "sibling"):
        person_update(acting_user=None, person=world.person[side], phone=f"1391111444{len(side)}")
    operator = UserFactory(username="matrix_operator", is_superuser=True)
    client = Client()
    client.force_login(operator)
    secrets = _secrets(world) + ["13911114443", "13911114447"]
    before = _snapshot()
    for route, url in _admin_urls(operator, "own"):
        got = client.get(url)
        assert got.status_code < 500, (route, url, got.status_code)
        body = got.content.decode(errors="replace")
        for secret in secrets:
            assert secret not in body, (route, url, "shown in clear")
        if "history/([^/]+)" in route:
            assert got.status_code == 404, (route, "a history form to revert with")
        posted = client.post(url, {"name": "管理后台修改", "region": world.grid["own"].pk, "_save": "1"})
        assert posted.status_code in (302, 403, 404, 405) or "管理后台修改" not in Person.objects.values_list(
            "name", flat=True
        ), (route, posted.status_code)
        client.force_login(operator)  # the POST to the admin's logout signed the operator out
    assert _snapshot() == before
    history = client.get(f"/admin/registry/person/{world.person['own'].pk}/history/")
    assert history.status_code == 200
    assert "13911114443" not in history.content.decode()
