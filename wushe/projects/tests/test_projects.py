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
