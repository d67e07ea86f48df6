"""The case, group and activity API: scoped lists with bounded queries, creates, step transitions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PersonFactory
from wushe.accounts.services import api_token_issue
from wushe.casework import services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().isoformat()


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")


def test_a_case_through_the_api(users: Any, person_a: Any, person_b: Any, org_a: Any) -> None:
    client = api(users.worker_a)
    created = client.post(
        "/api/v1/cases",
        {"person": person_a.pk, "reason": "独居", "opened_on": TODAY, "organization": org_a.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    step = client.post(
        f"/api/v1/cases/{case_id}/steps",
        {"stage": "assessment", "on": TODAY, "note": "评估"},
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["stage"] == "assessment"
    skip = client.post(
        f"/api/v1/cases/{case_id}/steps", {"stage": "closed", "on": TODAY}, content_type="application/json"
    )
    assert skip.status_code == 422 and skip.json()["detail"][0]["field"] == "note"
    service = client.post(
        f"/api/v1/cases/{case_id}/services",
        {"on": TODAY, "minutes": 45, "content": "探访"},
        content_type="application/json",
    )
    assert service.status_code == 201
    detail = client.get(f"/api/v1/cases/{case_id}").json()
    assert [s["kind"] for s in detail["steps"]] == ["intake", "assessment"] and len(detail["services"]) == 1
    foreign = client.post(
        "/api/v1/cases",
        {"person": person_b.pk, "reason": "x", "opened_on": TODAY},
        content_type="application/json",
    )
    assert foreign.status_code == 422 and foreign.json()["detail"][0]["field"] == "person"


@pytest.mark.parametrize("n", [2, 9])
def test_lists_run_a_fixed_number_of_queries(
    tree: Any, users: Any, n: int, django_assert_num_queries: Any
) -> None:
    for _ in range(n):
        services.case_open(
            acting_user=None,
            person=PersonFactory(region=tree.grid_a),
            reason="x",
            opened_on=timezone.localdate(),
        )
        services.activity_create(
            acting_user=None,
            region=tree.grid_a,
            kind="community",
            title="活动",
            on=timezone.localdate(),
            place="活动室",
        )
    client = api(users.worker_a)
    client.get("/api/v1/cases")
    with django_assert_num_queries(5):
        assert client.get("/api/v1/cases").json()["count"] == n
    with django_assert_num_queries(5):
        assert client.get("/api/v1/activities").json()["count"] == n


def test_groups_and_activities(tree: Any, users: Any, person_a: Any) -> None:
    client = api(users.worker_a)
    group = client.post(
        "/api/v1/groups",
        {
            "name": "小组",
            "goal": "互助",
            "region": tree.community_a.code,
            "starts_on": TODAY,
            "members": [person_a.pk],
        },
        content_type="application/json",
    )
    assert group.status_code == 201, group.content
    gid = group.json()["id"]
    session = client.post(
        f"/api/v1/groups/{gid}/sessions",
        {"on": TODAY, "topic": "相识", "attendees": [person_a.pk]},
        content_type="application/json",
    )
    assert session.status_code == 201 and session.json()["attendees"] == [person_a.pk]
    outside = client.post(
        "/api/v1/activities",
        {"kind": "community", "title": "活动", "on": TODAY, "place": "室", "region": tree.community_b.code},
        content_type="application/json",
    )
    assert outside.status_code == 422 and outside.json()["detail"][0]["field"] == "region"
