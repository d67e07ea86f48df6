"""Visits without a signal: the data a worker's phone keeps (scoped, masked), each queued item
received once by its key, a need's status changed from an older copy answered 409 with both
values (field by field), the pages and the logout's Clear-Site-Data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from tests.fixtures import login
from tests.outreach_factories import household_in, make_need, units_for
from wushe.needs import editing as need_editing
from wushe.needs import services as need_services
from wushe.needs.models import Need, NeedStatus, Problem
from wushe.visits.models import OfflineReceipt, Visit

pytestmark = pytest.mark.django_db

VISITS = "/api/v1/offline/visits"


def _visit_body(household: Any, key: str, **changes: Any) -> dict[str, Any]:
    body = {
        "key": key,
        "household": household.pk,
        "visited_on": "2026-06-01",
        "services_done": ["cleaning"],
        "leaflets": 2,
        "needs": [{"category": "psych", "description": "需要心理疏导"}],
        "problems": [{"description": "楼道灯坏了"}],
    }
    return {**body, **changes}


@pytest.fixture
def world(tree: Any, users: Any) -> Any:
    units_for(tree.street, [tree.community_a, tree.community_b])
    return household_in(tree.grid_a, name="祝长连", phone="13812345678")


def test_a_visit_sent_twice_is_recorded_once(world: Any, users: Any) -> None:
    client = login(users.worker_a)
    key = str(uuid.uuid4())
    first = client.post(VISITS, _visit_body(world, key), content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["repeat"] is False
    again = client.post(VISITS, _visit_body(world, key), content_type="application/json")
    assert again.status_code == 200 and again.json() == {"result": first.json()["result"], "repeat": True}
    assert Visit.objects.count() == 1 and Need.objects.count() == 1 and Problem.objects.count() == 1
    result = first.json()["result"]
    assert result["visit"] == Visit.objects.get().pk and result["needs"] == [Need.objects.get().pk]
    # another key is another visit
    other = client.post(VISITS, _visit_body(world, str(uuid.uuid4())), content_type="application/json")
    assert other.status_code == 201 and Visit.objects.count() == 2


def test_a_refused_item_keeps_no_key_and_may_be_sent_again(world: Any, users: Any) -> None:
    client = login(users.worker_a)
    key = str(uuid.uuid4())
    bad = client.post(VISITS, _visit_body(world, key, leaflets=-1), content_type="application/json")
    assert bad.status_code == 422
    bad = client.post(VISITS, _visit_body(world, key, reached=False), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "not_reached_reason"
    assert not OfflineReceipt.objects.exists() and not Visit.objects.exists()
    assert client.post(VISITS, _visit_body(world, key), content_type="application/json").status_code == 201


def test_keys_are_per_user(world: Any, users: Any, tree: Any) -> None:
    key = str(uuid.uuid4())
    assert (
        login(users.worker_a)
        .post(VISITS, _visit_body(world, key), content_type="application/json")
        .status_code
        == 201
    )
    # the same key from another user is that user's own item (and here outside their scope)
    other = login(users.worker_b).post(VISITS, _visit_body(world, key), content_type="application/json")
    assert other.status_code == 422 and other.json()["detail"][0]["field"] == "household"
    assert Visit.objects.count() == 1


def test_the_session_api_asks_for_the_csrf_token(world: Any, users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.worker_a)
    refused = client.post(VISITS, _visit_body(world, str(uuid.uuid4())), content_type="application/json")
    assert refused.status_code == 403 and not Visit.objects.exists()


def _status(client: Client, need: Need, key: str, **body: Any) -> Any:
    return client.post(
        f"/api/v1/offline/needs/{need.pk}/status", {"key": key, **body}, content_type="application/json"
    )


def test_need_status_from_the_current_version_goes_ahead_once(world: Any, users: Any) -> None:
    need = make_need(world)
    assert need.version == 1
    client = login(users.worker_a)
    key = str(uuid.uuid4())
    body = {"to_status": "to_match", "base_version": 1, "base_status": "assess"}
    done = _status(client, need, key, **body)
    assert done.status_code == 200, done.content
    need.refresh_from_db()
    assert need.status == NeedStatus.TO_MATCH and need.version == 2
    assert done.json() == {"result": {"need": need.pk, "status": "to_match", "version": 2}, "repeat": False}
    again = _status(client, need, key, **body)
    assert again.status_code == 200 and again.json()["repeat"] is True
    assert need.steps.count() == 2  # 登记 and the one change, not two


def test_need_changed_on_the_server_is_409_with_both_values_and_nothing_written(
    world: Any, users: Any
) -> None:
    need = make_need(world)
    client = login(users.worker_a)
    # meanwhile, on the server: someone moves it to 服务中
    need_services.need_advance(acting_user=users.street_admin, need=need, to_status="in_service")
    key = str(uuid.uuid4())
    conflict = _status(
        client, need, key, to_status="unmet", unmet_reason="搬走了", base_version=1, base_status="assess"
    )
    assert conflict.status_code == 409
    assert conflict.json() == {
        "field": "status",
        "base": "assess",
        "server": "in_service",
        "server_label": "服务中",
        "yours": "unmet",
        "version": 2,
    }
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_SERVICE and need.version == 2
    assert not OfflineReceipt.objects.exists()
    # the worker chose theirs: the same item, on the server's version
    kept = _status(
        client, need, key, to_status="unmet", unmet_reason="搬走了", base_version=2, base_status="in_service"
    )
    assert kept.status_code == 200, kept.content
    need.refresh_from_db()
    assert need.status == NeedStatus.UNMET and need.unmet_reason == "搬走了"


def test_another_field_changed_is_no_conflict(world: Any, users: Any) -> None:
    """Field by field: a correction of the description does not stop a status change."""
    need = make_need(world)
    need_editing.need_update(
        acting_user=users.street_admin, need=need, reason="写清楚", description="需要康复训练指导"
    )
    need.refresh_from_db()
    assert need.version == 2
    done = _status(
        login(users.worker_a),
        need,
        str(uuid.uuid4()),
        to_status="to_match",
        base_version=1,
        base_status="assess",
    )
    assert done.status_code == 200, done.content
    need.refresh_from_db()
    assert need.status == NeedStatus.TO_MATCH and need.description == "需要康复训练指导"


def test_need_out_of_scope_is_404(world: Any, users: Any) -> None:
    need = make_need(world)
    refused = _status(
        login(users.worker_b),
        need,
        str(uuid.uuid4()),
        to_status="to_match",
        base_version=1,
        base_status="assess",
    )
    assert refused.status_code == 404
    need.refresh_from_db()
    assert need.status == NeedStatus.ASSESS


def test_offline_data_is_scoped_masked_and_has_no_numbers(world: Any, users: Any, tree: Any) -> None:
    need = make_need(world)
    household_in(tree.grid_b, name="李大明")  # worker_b's
    response = login(users.worker_a).get("/api/v1/offline/data")
    assert response.status_code == 200
    data = response.json()
    assert [h["id"] for h in data["households"]] == [world.pk]
    assert data["households"][0]["head"] == "祝**"
    assert [n["id"] for n in data["needs"]] == [need.pk]
    assert data["needs"][0]["version"] == 1 and data["needs"][0]["subject"] == "祝**"
    assert {s["value"] for s in data["needs"][0]["next"]} == {"to_match", "in_service", "met", "unmet"}
    text = response.content.decode()
    assert "祝长连" not in text and "13812345678" not in text and world.head.id_number not in text
    assert login(users.leader).get("/api/v1/offline/data").status_code == 403  # reads only


def test_offline_page_service_worker_and_manifest(world: Any, users: Any) -> None:
    page = login(users.worker_a).get("/visits/offline/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="offline-visit"' in body and "visits/offline.js" in body and "离线走访" in body
    assert login(users.leader).get("/visits/offline/").status_code == 403
    worker = Client().get("/visits/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/visits/"
    script = worker.content.decode()
    assert '"/visits/offline/"' in script and '"/api/v1/offline/data"' in script
    manifest = Client().get("/visits/manifest.webmanifest").json()
    assert manifest["start_url"] == "/visits/offline/" and manifest["scope"] == "/visits/"


def test_logout_clears_the_site_data(users: Any) -> None:
    response = login(users.worker_a).post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
