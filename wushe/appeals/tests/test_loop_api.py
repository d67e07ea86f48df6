"""The closed loop through the JSON API: 督办 of an overdue request and 回访 after archiving,
with the same services, permissions and scope as the request page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.support import api, fields_in
from wushe.appeals.models import AppealSupervision, ReturnCall

from .test_loop import _closed, _referred, at

pytestmark = pytest.mark.django_db
JSON = "application/json"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type=JSON)


@pytest.mark.parametrize("action", ["supervise", "return-call"])
def test_anonymous_gets_401(db: Any, action: str) -> None:
    assert Client().post(f"/api/v1/appeals/1/{action}", {}, content_type=JSON).status_code == 401


def test_the_street_supervises_an_overdue_request(studio: Any, unit: Any, person_a: Any, users: Any) -> None:
    late = _referred(studio, person_a, unit, at(2026, 11, 2))  # 处理 due 2026-11-09
    fresh = _referred(studio, person_a, unit)
    url = f"/api/v1/appeals/{late.pk}/supervise"
    assert post(api(users.worker_a), url, {"note": "抓紧"}).status_code == 403
    not_late = post(api(users.street_admin), f"/api/v1/appeals/{fresh.pk}/supervise", {"note": "抓紧"})
    assert not_late.status_code == 422 and fields_in(not_late) == {"appeal"}
    empty = post(api(users.street_admin), url, {"note": " "})
    assert empty.status_code == 422 and fields_in(empty) == {"note"}
    assert not AppealSupervision.objects.exists()
    done = post(api(users.street_admin), url, {"note": "请三日内办结"})
    assert done.status_code == 200, done.content
    [record] = done.json()["supervisions"]
    assert (record["step"], record["due_on"], record["note"]) == ("handle", "2026-11-09", "请三日内办结")
    assert record["actor"] == str(users.street_admin)
    assert AppealSupervision.objects.get().by == users.street_admin
    # what was recorded is read back with the request by whoever sees it
    seen = api(users.worker_a).get(f"/api/v1/appeals/{late.pk}").json()
    assert [s["note"] for s in seen["supervisions"]] == ["请三日内办结"]


def test_supervising_another_streets_request_is_404(
    tree: Any, studio: Any, unit: Any, person_a: Any, users: Any
) -> None:
    from tests.factories import UserFactory
    from wushe.accounts.roles import Role

    late = _referred(studio, person_a, unit, at(2026, 11, 2))
    elsewhere = UserFactory(role=Role.STREET_ADMIN, region=tree.other_street)
    response = post(api(elsewhere), f"/api/v1/appeals/{late.pk}/supervise", {"note": "抓紧"})
    assert response.status_code == 404 and not AppealSupervision.objects.exists()


def test_the_return_call_after_archiving(studio: Any, unit: Any, person_a: Any, users: Any) -> None:
    appeal = _referred(studio, person_a, unit, at(2026, 11, 2))
    client = api(users.worker_a)
    url = f"/api/v1/appeals/{appeal.pk}/return-call"
    early = post(client, url, {"outcome": "confirmed"})
    assert early.status_code == 422 and fields_in(early) == {"outcome"}
    appeal = _closed(appeal, at(2026, 11, 6))
    unknown = post(client, url, {"outcome": "maybe"})
    assert unknown.status_code == 422 and fields_in(unknown) == {"outcome"}
    unreachable = post(client, url, {"outcome": "unreachable"})
    assert unreachable.status_code == 200 and unreachable.json()["return_call_done_at"] is None
    no_rating = post(client, url, {"outcome": "unreachable", "satisfaction": "satisfied"})
    assert no_rating.status_code == 422 and fields_in(no_rating) == {"satisfaction"}
    ok = post(client, url, {"outcome": "confirmed", "satisfaction": "satisfied", "note": "灯已亮"})
    assert ok.status_code == 200, ok.content
    out = ok.json()
    assert out["return_call_done_at"] is not None and out["return_call_due_on"] == "2026-11-09"
    assert [(c["outcome"], c["satisfaction"]) for c in out["return_calls"]] == [
        ("unreachable", ""),
        ("confirmed", "satisfied"),
    ]
    assert ReturnCall.objects.filter(by=users.worker_a).count() == 2
    twice = post(client, url, {"outcome": "confirmed"})
    assert twice.status_code == 422 and ReturnCall.objects.count() == 2


def test_a_return_call_needs_the_request_handling_capability(
    studio: Any, unit: Any, person_a: Any, users: Any
) -> None:
    appeal = _closed(_referred(studio, person_a, unit, at(2026, 11, 2)), at(2026, 11, 6))
    response = post(api(users.leader), f"/api/v1/appeals/{appeal.pk}/return-call", {"outcome": "confirmed"})
    assert response.status_code == 403 and not ReturnCall.objects.exists()
