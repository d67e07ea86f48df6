"""The volunteers API: register, log hours, the leader verifies; numbers, never ID numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from wushe.accounts.services import api_token_issue
from wushe.volunteers import services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_volunteer_hours_through_the_api(team: Any, other_team: Any, users: Any) -> None:
    worker = api(users.worker_a)
    created = post(worker, "/api/v1/volunteers", {"team": team.pk, "name": "李志愿", "joined_on": TODAY})
    assert created.status_code == 201, created.content
    vid = created.json()["id"]
    assert "id_number" not in created.json() and created.json()["number"].startswith("ZY")
    assert (
        post(
            worker, "/api/v1/volunteers", {"team": other_team.pk, "name": "x", "joined_on": TODAY}
        ).status_code
        == 422
    )
    bad = post(
        worker,
        f"/api/v1/volunteers/{vid}/records",
        {"on": TODAY, "hours": "0", "kind": "meal", "content": "x"},
    )
    assert bad.status_code == 422
    logged = post(
        worker,
        f"/api/v1/volunteers/{vid}/records",
        {"on": TODAY, "hours": "2.5", "kind": "meal", "content": "送餐"},
    )
    assert logged.status_code == 201 and logged.json()["status"] == "pending"
    rid = logged.json()["id"]
    assert post(worker, f"/api/v1/volunteers/records/{rid}/verify", {"approve": True}).status_code == 403
    verified = post(api(team.leader), f"/api/v1/volunteers/records/{rid}/verify", {"approve": True})
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    detail = worker.get(f"/api/v1/volunteers/{vid}").json()
    assert detail["verified_hours"] == "2.5" and len(detail["records"]) == 1


@pytest.mark.parametrize("n", [2, 9])
def test_the_list_runs_a_fixed_number_of_queries(
    team: Any, users: Any, n: int, django_assert_num_queries: Any
) -> None:
    services.volunteer_bulk_create(
        acting_user=None,
        team=team,
        rows=[services.VolunteerRow(name=f"v{i}", joined_on=timezone.localdate()) for i in range(n)],
    )
    client = api(users.worker_a)
    client.get("/api/v1/volunteers")
    with django_assert_num_queries(5):
        assert client.get("/api/v1/volunteers").json()["count"] == n
