from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import login
from tests.outreach_factories import count_queries, make_org, make_project
from wushe.accounts.services import api_token_issue
from wushe.projects.models import Project
from wushe.projects.services import project_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "x"}, "kind"),
        ({"budget": -1}, "budget"),
        ({"budget": 1.5}, "budget"),
        ({"budget": "1.234"}, "budget"),
        ({"end_on": datetime.date(2025, 1, 1)}, "end_on"),
        ({"categories": ["nope"]}, "categories"),
    ],
)
def test_bad_project_names_the_field(tree: Any, changes: dict[str, Any], field: str) -> None:
    org = make_org(tree.street)
    data = {
        "region": tree.street,
        "name": "助残项目",
        "kind": "disability",
        "organization": org,
        "start_on": datetime.date(2026, 1, 1),
        "end_on": datetime.date(2026, 12, 31),
        **changes,
    }
    with pytest.raises(ValidationError) as exc:
        project_create(acting_user=None, **data)
    assert field in exc.value.message_dict
    assert Project.objects.count() == 0


def test_budget_is_decimal(tree: Any) -> None:
    project = make_project(make_org(tree.street), tree.street)
    project.refresh_from_db()
    assert project.budget == Decimal("1000.00") and isinstance(project.budget, Decimal)


def test_project_pages_and_api(tree: Any, users: Any, django_assert_max_num_queries: Any) -> None:
    org = make_org(tree.street)
    first = make_project(org, tree.street)
    client = login(users.street_admin)
    urls = ("/projects/", f"/projects/{first.pk}/")
    client.get(urls[0])
    small = {u: count_queries(client, u) for u in urls}
    for _ in range(4):
        make_project(make_org(tree.street), tree.street)
    assert {u: count_queries(client, u) for u in urls} == small
    with django_assert_max_num_queries(13):
        client.get("/projects/")
    bad = client.post(
        "/projects/new/",
        {
            "name": "",
            "kind": "disability",
            "region": tree.street.code,
            "organization": org.pk,
            "budget": "-5",
            "start_on": "2026-01-01",
            "end_on": "2025-01-01",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "项目名称" in body and "预算（元）" in body and "结束日期" in body
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=users.street_admin)}")
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/projects").json()["count"] == 5
    payload = {
        "region": tree.street.code,
        "name": "API项目",
        "kind": "rehab",
        "organization": org.pk,
        "start_on": "2026-01-01",
        "end_on": "2026-06-30",
        "budget": "2500.50",
    }
    created = api.post("/api/v1/projects", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["budget"] == "2500.50"
    wrong = api.post(
        "/api/v1/projects",
        {**payload, "name": "API项目2", "end_on": "2025-01-01"},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "end_on"


def test_a_community_worker_sees_the_projects_serving_its_area(tree: Any) -> None:
    """Projects carried out for the street (or above) serve every community below it: a
    community's users see them beside their own (``scope_serves_below``, as for resources); a
    sibling community's projects stay closed, and the figures still count the community's subtree."""
    from tests.factories import UserFactory
    from wushe.accounts.roles import Role
    from wushe.core.metrics import Scope, compute
    from wushe.projects.selectors import project_list

    street_wide = make_project(make_org(tree.street, name="街道机构"), tree.street, name="街道助残项目")
    own = make_project(make_org(tree.community_a, name="甲社区组织"), tree.community_a, name="甲社区项目")
    sibling = make_project(make_org(tree.community_b, name="乙社区组织"), tree.community_b, name="乙社区项目")
    elsewhere = make_project(make_org(tree.other_street, name="彭李机构"), tree.other_street, name="彭李项目")
    staff = UserFactory(role=Role.COMMUNITY_STAFF, region=tree.community_a)
    assert set(Project.objects.visible_to(staff)) == {street_wide, own}
    assert set(project_list(user=staff)) == {street_wide, own}
    client = login(staff)
    listing = client.get("/projects/").content.decode()
    assert street_wide.name in listing and own.name in listing
    assert sibling.name not in listing and elsewhere.name not in listing
    assert client.get(f"/projects/{street_wide.pk}/").status_code == 200
    assert client.get(f"/projects/{sibling.pk}/").status_code == 404
    figures = compute(Scope(region=tree.community_a, user=staff), keys=["projects"])
    assert figures["projects"].value == 1  # the community's own, not the street's
