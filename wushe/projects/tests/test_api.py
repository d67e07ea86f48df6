"""The 项目清单's JSON API at /api/v1/projects: list, detail and creating a project."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.outreach_factories import make_org, make_project
from tests.support import api, fields_in
from wushe.projects.models import Project

pytestmark = pytest.mark.django_db


def body(tree: Any, org: Any, **changes: Any) -> dict[str, Any]:
    return {
        "region": tree.street.code,
        "name": "助残项目",
        "kind": "disability",
        "organization": org.pk,
        "start_on": "2026-01-01",
        "end_on": "2026-12-31",
        "budget": "12000.50",
        "categories": ["rehab"],
        **changes,
    }


def test_anonymous_gets_401(db: Any) -> None:
    assert Client().get("/api/v1/projects").status_code == 401
    assert Client().get("/api/v1/projects/1").status_code == 401
    assert Client().post("/api/v1/projects", {}, content_type="application/json").status_code == 401


def test_create_a_project_and_read_it_back(tree: Any, users: Any) -> None:
    org = make_org(tree.street)
    created = api(users.street_admin).post(
        "/api/v1/projects", body(tree, org), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    out = created.json()
    assert (out["name"], out["region"], out["organization"], out["organization_name"]) == (
        "助残项目",
        tree.street.code,
        org.pk,
        org.name,
    )
    assert out["budget"] == "12000.50" and out["start_on"] == "2026-01-01"
    project = Project.objects.get(pk=out["id"])
    assert [c.code for c in project.categories.all()] == ["rehab"]
    detail = api(users.street_admin).get(f"/api/v1/projects/{project.pk}")
    assert detail.status_code == 200 and detail.json() == out


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "x"}, "kind"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "1.234"}, "budget"),
        ({"end_on": "2025-01-01"}, "end_on"),
        ({"start_on": "2026-02-30"}, "start_on"),
        ({"categories": ["nope"]}, "categories"),
        ({"region": "999999999999"}, "region"),
        ({"organization": 999999}, "organization"),
    ],
)
def test_bad_project_is_422_naming_the_field(
    tree: Any, users: Any, changes: dict[str, Any], field: str
) -> None:
    org = make_org(tree.street)
    response = api(users.street_admin).post(
        "/api/v1/projects", body(tree, org, **changes), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in fields_in(response), response.json()
    assert Project.objects.count() == 0


def test_creating_needs_the_lists_permission_and_the_region_in_scope(tree: Any, users: Any) -> None:
    org = make_org(tree.community_a)
    worker = api(users.worker_a).post(
        "/api/v1/projects", body(tree, org, region=tree.community_a.code), content_type="application/json"
    )
    assert worker.status_code == 403  # a social worker does not keep the lists
    elsewhere = api(users.street_admin).post(
        "/api/v1/projects", body(tree, org, region=tree.community_c.code), content_type="application/json"
    )
    assert elsewhere.status_code == 422 and fields_in(elsewhere) == {"region"}
    assert Project.objects.count() == 0


def test_projects_are_scoped_and_others_are_404(tree: Any, users: Any) -> None:
    mine = make_project(make_org(tree.community_a), tree.community_a)
    theirs = make_project(make_org(tree.community_b), tree.community_b)
    listing = api(users.worker_a).get("/api/v1/projects").json()
    assert [p["id"] for p in listing["items"]] == [mine.pk] and listing["count"] == 1
    assert api(users.worker_a).get(f"/api/v1/projects/{theirs.pk}").status_code == 404
    assert api(users.worker_a).get("/api/v1/projects/999999").status_code == 404
    street = api(users.street_admin)
    assert {p["id"] for p in street.get("/api/v1/projects").json()["items"]} == {mine.pk, theirs.pk}
    only_b = street.get("/api/v1/projects", {"region": tree.community_b.code}).json()
    assert [p["id"] for p in only_b["items"]] == [theirs.pk]
    assert street.get("/api/v1/projects", {"kind": "elderly"}).json()["count"] == 0
    assert api(users.nobody).get("/api/v1/projects").json() == {"items": [], "count": 0}


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_pins_its_queries(tree: Any, users: Any, n: int, django_assert_num_queries: Any) -> None:
    org = make_org(tree.street)
    for _ in range(n):
        make_project(org, tree.community_a)
    client = api(users.street_admin)
    client.get("/api/v1/projects")  # the token's last-used stamp
    with django_assert_num_queries(5):
        assert client.get("/api/v1/projects").json()["count"] == n
