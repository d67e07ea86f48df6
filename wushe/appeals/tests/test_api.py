"""The requests API: register, step transitions, the timeline, scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import UserFactory
from wushe.accounts.roles import Role
from wushe.accounts.services import api_token_issue
from wushe.appeals import services

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_a_request_through_the_api(studio: Any, unit: Any, org_a: Any, person_a: Any, users: Any) -> None:
    client = api(users.worker_a)
    created = post(
        client,
        "/api/v1/appeals",
        {
            "studio": studio.pk,
            "channel": "walk_in",
            "category": "help",
            "content": "求助",
            "person": person_a.pk,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("SQ") and [r["state"] for r in body["timeline"]][:2] == [
        "done",
        "pending",
    ]
    url = f"/api/v1/appeals/{body['id']}/steps"
    assert post(client, url, {"step": "handle", "resolution": "x"}).status_code == 422
    assert post(client, url, {"step": "receive", "note": "接待"}).status_code == 200
    assert post(client, url, {"step": "refer", "unit": unit.pk}).status_code == 200
    handle = {"step": "handle", "resolution": "已解决", "resolved": True}
    assert post(client, url, handle).status_code == 403  # 处理 is the unit's: the worker is not of it
    unit_staff = UserFactory(role=Role.ORG_STAFF, organization=org_a)
    assert post(api(unit_staff), url, handle).status_code == 200
    assert post(client, url, {"step": "feedback", "feedback": "告知"}).status_code == 200
    refused = post(client, url, {"step": "archive"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "satisfaction"
    assert post(client, url, {"step": "satisfaction", "satisfaction": "basic"}).status_code == 200
    done = post(client, url, {"step": "archive"})
    assert done.status_code == 200 and done.json()["step"] == "archive"


@pytest.mark.parametrize("n", [2, 7])
def test_the_list_runs_a_fixed_number_of_queries(
    studio: Any, person_a: Any, users: Any, n: int, django_assert_num_queries: Any
) -> None:
    for _ in range(n):
        services.appeal_register(
            acting_user=None, studio=studio, channel="walk_in", category="help", content="x", person=person_a
        )
    client = api(users.worker_a)
    client.get("/api/v1/appeals")
    with django_assert_num_queries(5):
        assert client.get("/api/v1/appeals").json()["count"] == n
    assert api(users.worker_b).get("/api/v1/appeals").json()["count"] == 0
