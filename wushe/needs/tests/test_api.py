from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.outreach_factories import household_in, make_need, outreach_in
from wushe.accounts.roles import Role
from wushe.accounts.services import api_token_issue
from wushe.needs.models import Need, NeedStatus

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")


def test_suggestions_and_accept_through_the_api(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = api(users.worker_a)
    found = client.get(f"/api/v1/needs/{o.need.pk}/suggestions").json()
    assert found[0]["id"] == o.resource.pk and "同类需求" in found[0]["reason"]
    bad = client.post(
        f"/api/v1/needs/{o.need.pk}/accept", {"resource": 999999}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "resource"
    ok = client.post(
        f"/api/v1/needs/{o.need.pk}/accept", {"resource": o.resource.pk}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["referred_to"] == o.org.pk and ok.json()["status"] == "matched"
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    other = make_need(o.household, description="别的")
    listing = api(staff).get("/api/v1/needs").json()
    assert [n["id"] for n in listing["items"]] == [o.need.pk]
    assert api(staff).get(f"/api/v1/needs/{other.pk}").status_code == 404


def test_create_and_step_a_need(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = api(users.worker_a)
    body = {"household": o.household.pk, "category": "psych", "description": "需要心理疏导"}
    created = client.post("/api/v1/needs", body, content_type="application/json")
    assert created.status_code == 201, created.content
    need_id = created.json()["id"]
    for bad, field in (
        ({**body, "category": "nope"}, "category"),
        ({**body, "description": ""}, "description"),
        ({**body, "household": 999999}, "household"),
    ):
        response = client.post("/api/v1/needs", bad, content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == field
    assert Need.objects.count() == 2
    step = client.post(
        f"/api/v1/needs/{need_id}/steps", {"to_status": "unmet"}, content_type="application/json"
    )
    assert step.status_code == 422 and step.json()["detail"][0]["field"] == "unmet_reason"
    step = client.post(
        f"/api/v1/needs/{need_id}/steps",
        {"to_status": "met", "satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["status"] == NeedStatus.MET and step.json()["met_at"]


def test_need_and_problem_lists_pin_their_queries(
    tree: Any, users: Any, django_assert_num_queries: Any
) -> None:
    o = outreach_in(tree)
    client = api(users.street_admin)
    for _ in range(4):
        make_need(household_in(tree.grid_a))
    client.get("/api/v1/needs")
    with django_assert_num_queries(6):  # + the households' heads, which name them
        assert client.get("/api/v1/needs").json()["count"] == 5
    with django_assert_num_queries(4):  # no problems: no households to name
        assert client.get("/api/v1/problems").status_code == 200
    assert o.need.pk
