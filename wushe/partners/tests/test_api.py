"""The partners' JSON API at /api/v1/: organizations, resources (资源清单) and responsibility
units (责任清单)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.outreach_factories import make_need, make_org, make_resource, outreach_in, units_for
from tests.support import api, fields_in
from wushe.partners.models import OrganizationKind, Resource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/organizations", "/resources", "/resources/1", "/responsibilities", "/responsibilities/1"]
)
def test_anonymous_gets_401(db: Any, path: str) -> None:
    assert Client().get(f"/api/v1{path}").status_code == 401


# ---- organizations ----------------------------------------------------------------------


def test_organizations_are_scoped_and_filtered(tree: Any, users: Any) -> None:
    mine = make_org(tree.community_a, OrganizationKind.COMMUNITY, name="甲社区艺术团")
    pro = make_org(tree.community_a, OrganizationKind.PROFESSIONAL, name="甲社工机构")
    theirs = make_org(tree.community_c, OrganizationKind.COMMUNITY, name="丙社区艺术团")
    listing = api(users.worker_a).get("/api/v1/organizations").json()
    assert {o["id"] for o in listing["items"]} == {mine.pk, pro.pk} and listing["count"] == 2
    assert theirs.pk not in {
        o["id"] for o in api(users.street_admin).get("/api/v1/organizations").json()["items"]
    }
    kind = api(users.worker_a).get("/api/v1/organizations", {"kind": "community"}).json()
    assert [o["id"] for o in kind["items"]] == [mine.pk]
    q = api(users.worker_a).get("/api/v1/organizations", {"q": "社工"}).json()
    assert [(o["id"], o["name"], o["region"]) for o in q["items"]] == [
        (pro.pk, "甲社工机构", tree.community_a.code)
    ]
    too_long = api(users.worker_a).get("/api/v1/organizations", {"q": "长" * 51})
    assert too_long.status_code == 422 and fields_in(too_long) == {"q"}


# ---- resources --------------------------------------------------------------------------


def resource_body(org: Any, community: Any, **changes: Any) -> dict[str, Any]:
    return {
        "provider": org.pk,
        "region": community.code,
        "name": "康复训练名额",
        "categories": ["rehab"],
        "capacity": 5,
        "available_from": "2026-01-01",
        "available_to": "2026-12-31",
        **changes,
    }


def test_create_a_resource_and_read_it_back(tree: Any, users: Any) -> None:
    org = make_org(tree.community_a)
    client = api(users.street_admin)
    created = client.post(
        "/api/v1/resources", resource_body(org, tree.community_a), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["provider"], out["provider_name"], out["region"], out["categories"]) == (
        org.pk,
        org.name,
        tree.community_a.code,
        ["rehab"],
    )
    assert out["capacity"] == out["remaining"] == 5 and out["available_to"] == "2026-12-31"
    detail = client.get(f"/api/v1/resources/{out['id']}")
    assert detail.status_code == 200 and detail.json() == out


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "magic"}, "kind"),
        ({"capacity": 0}, "capacity"),
        ({"categories": []}, "categories"),
        ({"categories": ["nope"]}, "categories"),
        ({"available_from": "2026-12-31", "available_to": "2026-01-01"}, "available_to"),
        ({"region": "999999999999"}, "region"),
        ({"provider": 999999}, "provider"),
    ],
)
def test_bad_resource_is_422_naming_the_field(
    tree: Any, users: Any, changes: dict[str, Any], field: str
) -> None:
    org = make_org(tree.community_a)
    response = api(users.street_admin).post(
        "/api/v1/resources", resource_body(org, tree.community_a, **changes), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in fields_in(response), response.json()
    assert Resource.objects.count() == 0


def test_creating_a_resource_needs_the_lists_permission(tree: Any, users: Any) -> None:
    org = make_org(tree.community_a)
    response = api(users.worker_a).post(
        "/api/v1/resources", resource_body(org, tree.community_a), content_type="application/json"
    )
    assert response.status_code == 403 and Resource.objects.count() == 0


def test_resources_are_scoped_and_filtered(tree: Any, users: Any) -> None:
    mine = make_resource(make_org(tree.community_a), tree.community_a, categories=["rehab"])
    full = make_resource(make_org(tree.community_a), tree.community_a, categories=["psych"], capacity=1)
    theirs = make_resource(make_org(tree.community_b), tree.community_b)
    Resource.objects.filter(pk=full.pk).update(remaining=0)
    client = api(users.worker_a)
    assert {r["id"] for r in client.get("/api/v1/resources").json()["items"]} == {mine.pk, full.pk}
    assert client.get(f"/api/v1/resources/{theirs.pk}").status_code == 404
    assert client.get("/api/v1/resources/999999").status_code == 404
    assert [r["id"] for r in client.get("/api/v1/resources", {"category": "rehab"}).json()["items"]] == [
        mine.pk
    ]
    assert [r["id"] for r in client.get("/api/v1/resources", {"available": "true"}).json()["items"]] == [
        mine.pk
    ]
    street = api(users.street_admin).get("/api/v1/resources", {"region": tree.community_b.code}).json()
    assert [r["id"] for r in street["items"]] == [theirs.pk]


@pytest.mark.parametrize("n", [1, 6])
def test_the_resource_list_pins_its_queries(
    tree: Any, users: Any, n: int, django_assert_num_queries: Any
) -> None:
    org = make_org(tree.community_a)
    for _ in range(n):
        make_resource(org, tree.community_a)
    client = api(users.worker_a)
    client.get("/api/v1/resources")  # the token's last-used stamp
    with django_assert_num_queries(7):  # … the categories and the target groups prefetched
        assert client.get("/api/v1/resources").json()["count"] == n


# ---- responsibility units ---------------------------------------------------------------


def test_responsibilities_carry_their_work_and_are_scoped(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    other = units_for(tree.other_street, [tree.community_c])
    make_need(o.household, category="psych", description="需要心理疏导")
    client = api(users.worker_a)
    units = client.get("/api/v1/responsibilities").json()
    ids = {u["id"] for u in units}
    assert o.units[tree.community_a.code].pk in ids
    assert not ids & {u.pk for u in other.values()}
    assert sum(u["open"] for u in units) >= 1  # the open needs are counted on their units
    one = next(u for u in units if u["open"])
    detail = client.get(f"/api/v1/responsibilities/{one['id']}")
    assert detail.status_code == 200 and detail.json() == one
    assert client.get(f"/api/v1/responsibilities/{other['station'].pk}").status_code == 404
    paged = client.get("/api/v1/responsibilities", {"limit": 1})
    assert paged.status_code == 200 and len(paged.json()) == 1
    bad = client.get("/api/v1/responsibilities", {"limit": 0})
    assert bad.status_code == 422 and fields_in(bad) == {"limit"}


def test_the_responsibility_list_pins_its_queries(
    tree: Any, users: Any, django_assert_num_queries: Any
) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])
    client = api(users.street_admin)
    client.get("/api/v1/responsibilities")  # the token's last-used stamp
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/responsibilities").json()) == 5


# ---- a resource's target group (服务对象) -------------------------------------------------


def test_a_resources_target_group_is_written_and_read(tree: Any, users: Any) -> None:
    from wushe.registry.models import Tag

    Tag.objects.get_or_create(code="dibao", defaults={"name": "低保"})
    org = make_org(tree.community_a)
    client = api(users.street_admin)
    body = resource_body(
        org,
        tree.community_a,
        age_min=16,
        age_max=60,
        disability_categories=[6, 5],
        disability_levels=[1, 2],
        target_tags=["dibao"],
    )
    created = client.post("/api/v1/resources", body, content_type="application/json")
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["age_min"], out["age_max"], out["disability_categories"], out["disability_levels"]) == (
        16,
        60,
        [5, 6],
        [1, 2],
    )
    assert out["target_tags"] == ["dibao"] and out["active"] is True
    listed = client.get("/api/v1/resources").json()["items"]
    assert [(r["id"], r["target_tags"]) for r in listed] == [(out["id"], ["dibao"])]


def test_patching_a_resource_changes_only_what_is_given(tree: Any, users: Any) -> None:
    org = make_org(tree.community_a)
    resource = make_resource(org, tree.community_a, capacity=5)
    Resource.objects.filter(pk=resource.pk).update(remaining=3)  # two places taken
    client = api(users.street_admin)
    url = f"/api/v1/resources/{resource.pk}"
    changed = client.patch(
        url,
        {"age_max": 12, "disability_levels": [1], "capacity": 4, "available_to": None},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    out = changed.json()
    assert (out["age_min"], out["age_max"], out["disability_levels"], out["disability_categories"]) == (
        None,
        12,
        [1],
        [],
    )
    assert (out["capacity"], out["remaining"], out["available_to"]) == (4, 2, None)
    assert out["name"] == resource.name and out["categories"] == ["rehab"]
    resource.refresh_from_db()
    last = resource.history.first()
    assert last is not None and last.history_user == users.street_admin


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 1}, "capacity"),  # two places are taken
        ({"age_min": 70, "age_max": 10}, "age_max"),
        ({"disability_categories": [8]}, "disability_categories"),
        ({"disability_levels": [0]}, "disability_levels"),
        ({"target_tags": ["nope"]}, "target_tags"),
        ({"categories": []}, "categories"),
        ({"name": None}, "name"),
        ({"provider": 1}, None),  # not a field of the change: ignored
    ],
)
def test_a_bad_resource_change_is_422_and_changes_nothing(
    tree: Any, users: Any, changes: dict[str, Any], field: str | None
) -> None:
    resource = make_resource(make_org(tree.community_a), tree.community_a, capacity=5)
    Resource.objects.filter(pk=resource.pk).update(remaining=3)
    response = api(users.street_admin).patch(
        f"/api/v1/resources/{resource.pk}", changes, content_type="application/json"
    )
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 422, response.content
    assert field in fields_in(response), response.json()
    resource.refresh_from_db()
    assert (resource.capacity, resource.remaining, resource.age_max, resource.disability_categories) == (
        5,
        3,
        None,
        "",
    )


def test_changing_a_resource_needs_the_lists_permission_and_scope(tree: Any, users: Any) -> None:
    mine = make_resource(make_org(tree.community_a), tree.community_a)
    theirs = make_resource(make_org(tree.community_c), tree.community_c)
    body = {"age_max": 30}
    assert (
        api(users.worker_a).patch(f"/api/v1/resources/{mine.pk}", body, content_type="application/json")
    ).status_code == 403
    assert (
        api(users.street_admin).patch(f"/api/v1/resources/{theirs.pk}", body, content_type="application/json")
    ).status_code == 404
    mine.refresh_from_db()
    assert mine.age_max is None
