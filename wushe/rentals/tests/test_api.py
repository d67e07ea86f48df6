"""/api/v1/rentals: items, rentals, returns, renewals and the item's steps; scoped; 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import api
from wushe.core.checks import today

pytestmark = pytest.mark.django_db


def _post(user: Any, url: str, body: dict[str, Any]) -> Any:
    return api(user).post(url, body, content_type="application/json")


def test_the_way_round_through_the_api(rw: Any) -> None:
    r = _post(
        rw.worker_a,
        "/api/v1/rentals",
        {"person": rw.person.pk, "item": rw.chair.pk, "assessed_by": rw.station.pk, "assessment": "需要轮椅"},
    )
    assert r.status_code == 201, r.content
    rental = r.json()
    assert rental["deposit"] == "300.00" and rental["deposit_held"] == "300.00" and not rental["overdue"]
    r = _post(
        rw.worker_a,
        "/api/v1/rentals",
        {"person": rw.person.pk, "item": rw.chair.pk, "assessed_by": rw.station.pk, "assessment": "再借"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "item"
    r = _post(rw.staff, f"/api/v1/rentals/{rental['id']}/return", {"condition": "good"})
    assert (
        r.status_code == 200
        and r.json()["deposit_held"] == "0.00"
        and r.json()["returned_on"] == str(today())
    )
    assert api(rw.staff).get(f"/api/v1/rentals/items/{rw.chair.pk}").json()["status"] == "cleaning"
    r = _post(rw.staff, f"/api/v1/rentals/items/{rw.chair.pk}/advance", {"to_status": "in_stock"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "to_status"
    assert (
        _post(rw.staff, f"/api/v1/rentals/items/{rw.chair.pk}/advance", {"to_status": "repair"}).json()[
            "status"
        ]
        == "repair"
    )
    assert (
        _post(rw.staff, f"/api/v1/rentals/items/{rw.chair.pk}/advance", {"to_status": "in_stock"}).json()[
            "status"
        ]
        == "in_stock"
    )
    rows = api(rw.admin).get("/api/v1/rentals/utilization").json()
    assert rows == [
        {"site": "康复指导站租赁区", "device_type": "轮椅", "items": 2, "rented": 0, "percent": "0.0"}
    ]


def test_scoped_and_checked(rw: Any) -> None:
    r = _post(
        rw.worker_a,
        "/api/v1/rentals",
        {"person": rw.person.pk, "item": rw.chair.pk, "assessed_by": rw.station.pk, "assessment": "x"},
    )
    rental = r.json()["id"]
    assert api(rw.worker_b).get(f"/api/v1/rentals/{rental}").status_code == 404
    assert api(rw.worker_b).get("/api/v1/rentals").json()["items"] == []
    assert [x["id"] for x in api(rw.staff).get("/api/v1/rentals").json()["items"]] == [rental]
    r = _post(rw.worker_a, f"/api/v1/rentals/{rental}/return", {"condition": "lost"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "condition"
    r = _post(rw.worker_a, f"/api/v1/rentals/{rental}/renew", {"due_on": str(today())})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "due_on"
    r = _post(
        rw.admin,
        "/api/v1/rentals/items",
        {"site": rw.site.pk, "device_type": "99 99", "serial_number": "X-1"},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "device_type"
    r = _post(
        rw.admin,
        "/api/v1/rentals/items",
        {"site": rw.site.pk, "device_type": "18 12", "serial_number": "HLC-1"},
    )
    assert r.status_code == 201 and r.json()["device_type_name"] == "护理床"
    r = _post(
        rw.staff,
        "/api/v1/rentals/items",
        {"site": rw.site.pk, "device_type": "18 12", "serial_number": "HLC-2"},
    )
    assert r.status_code == 403
    assert api(rw.worker_a).get("/api/v1/rentals?overdue=true").json()["items"] == []
