"""/api/v1/care-plans: list, create, a month, records, training; scoped; 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PersonFactory
from tests.support import api
from wushe.core.checks import today
from wushe.registry.services import household_create

from .conftest import last_month

pytestmark = pytest.mark.django_db


def test_plans_are_scoped(cw: Any) -> None:
    ids = [p["id"] for p in api(cw.worker_a).get("/api/v1/care-plans").json()["items"]]
    assert ids == [cw.plan.pk]
    assert api(cw.worker_b).get("/api/v1/care-plans").json()["items"] == []
    assert api(cw.worker_b).get(f"/api/v1/care-plans/{cw.plan.pk}").status_code == 404
    assert api(cw.org_staff).get(f"/api/v1/care-plans/{cw.plan.pk}").status_code == 200
    assert api(cw.other_staff).get(f"/api/v1/care-plans/{cw.plan.pk}/month").status_code == 404


def test_create_record_and_month(cw: Any, tree: Any) -> None:
    person = PersonFactory(region=tree.grid_a)
    household_create(acting_user=None, head=person)
    body = {
        "person": person.pk,
        "self_care": "none",
        "needs": "完全不能自理",
        "provider": cw.provider.pk,
        "workers": "王五",
        "started_on": str(last_month()),
        "review_on": str(today()),
        "services": [
            {"service_type": "cleaning", "times_per_month": 2},
            {"service_type": "snow", "times_per_month": 1, "months": "12,1,2"},
        ],
    }
    r = api(cw.worker_a).post("/api/v1/care-plans", body, content_type="application/json")
    assert r.status_code == 201, r.content
    plan = r.json()["id"]
    r = api(cw.org_staff).post(
        f"/api/v1/care-plans/{plan}/records",
        {
            "service_type": "cleaning",
            "served_on": str(last_month()),
            "minutes": 120,
            "worker": "王五",
            "satisfaction": "satisfied",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    month = api(cw.worker_a).get(f"/api/v1/care-plans/{plan}/month?month={last_month():%Y-%m}").json()
    cleaning = next(line for line in month["lines"] if line["service_type"] == "cleaning")
    assert (cleaning["planned"], cleaning["done"], cleaning["gap"], cleaning["minutes"]) == (2, 1, 1, 120)
    r = api(cw.org_staff).post(
        f"/api/v1/care-plans/{plan}/trainings",
        {
            "trained_on": str(today()),
            "carer": "家属",
            "topic": "转移技巧",
            "hours": "1.5",
            "trainer": "康复师",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["hours"] == "1.5"


def test_bad_input_names_the_field(cw: Any) -> None:
    r = api(cw.org_staff).post(
        f"/api/v1/care-plans/{cw.plan.pk}/records",
        {
            "service_type": "flying",
            "served_on": str(today()),
            "minutes": 10,
            "worker": "王五",
            "satisfaction": "satisfied",
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "service_type"
    r = api(cw.org_staff).post(
        f"/api/v1/care-plans/{cw.plan.pk}/records",
        {
            "service_type": "cleaning",
            "served_on": str(today()),
            "minutes": 10,
            "worker": "王五",
            "satisfaction": "meh",
        },
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "satisfaction"
    r = api(cw.worker_a).get(f"/api/v1/care-plans/{cw.plan.pk}/month?month=2026-13")
    assert r.status_code == 422
    # an organization's staff does not draw up plans
    r = api(cw.org_staff).post(
        "/api/v1/care-plans", {"person": cw.person.pk}, content_type="application/json"
    )
    assert r.status_code == 422
