"""The visits' JSON API at /api/v1/visits: list, detail and recording a visit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from tests.outreach_factories import household_in, make_visit, units_for
from tests.support import api, fields_in
from wushe.needs.models import Need, Problem
from wushe.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(db: Any) -> None:
    assert Client().get("/api/v1/visits").status_code == 401
    assert Client().get("/api/v1/visits/1").status_code == 401
    assert Client().post("/api/v1/visits", {}, content_type="application/json").status_code == 401


def test_record_a_visit_with_its_needs_and_problems(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a])
    household = household_in(tree.grid_a)
    body = {
        "visited_on": "2026-06-01",
        "household": household.pk,
        "services_done": ["cleaning"],
        "leaflets": 3,
        "mood": "low",
        "needs": [{"category": "psych", "description": "需要心理疏导"}],
        "problems": [{"description": "房屋漏雨"}],
    }
    created = api(users.worker_a).post("/api/v1/visits", body, content_type="application/json")
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["region"] == tree.grid_a.code and out["household"] == household.pk
    assert out["services_done"] == ["cleaning"] and out["leaflets"] == 3 and out["reached"] is True
    visit = Visit.objects.get(pk=out["id"])
    assert list(visit.workers.all()) == [users.worker_a]
    assert Need.objects.get().visit == visit and Problem.objects.get().visit == visit
    detail = api(users.worker_a).get(f"/api/v1/visits/{visit.pk}")
    assert detail.status_code == 200 and detail.json() == out


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"visited_on": "2999-01-01"}, "visited_on"),
        ({"reached": False}, "not_reached_reason"),
        ({"services_done": ["magic"]}, "services_done"),
        ({"leaflets": -1}, "leaflets"),
        ({"needs": [{"category": "psych", "description": ""}]}, "needs.0.description"),
    ],
)
def test_bad_visit_is_422_naming_the_field(
    tree: Any, users: Any, changes: dict[str, Any], field: str
) -> None:
    units_for(tree.street, [tree.community_a])
    household = household_in(tree.grid_a)
    body = {"visited_on": "2026-06-01", "household": household.pk, **changes}
    response = api(users.worker_a).post("/api/v1/visits", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in fields_in(response), response.json()
    assert Visit.objects.count() == 0 and Need.objects.count() == 0


def test_a_household_out_of_scope_is_refused_on_its_field(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    theirs = household_in(tree.grid_b)
    body = {"visited_on": "2026-06-01", "household": theirs.pk}
    response = api(users.worker_a).post("/api/v1/visits", body, content_type="application/json")
    assert response.status_code == 422 and fields_in(response) == {"household"}
    assert Visit.objects.count() == 0


def test_visits_are_scoped_and_others_are_404(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    mine = make_visit(household_in(tree.grid_a), acting_user=users.worker_a)
    theirs = make_visit(household_in(tree.grid_b), acting_user=users.worker_b)
    listing = api(users.worker_a).get("/api/v1/visits").json()
    assert [v["id"] for v in listing["items"]] == [mine.pk] and listing["count"] == 1
    assert api(users.worker_a).get(f"/api/v1/visits/{theirs.pk}").status_code == 404
    assert api(users.worker_a).get("/api/v1/visits/999999").status_code == 404
    both = api(users.street_admin).get("/api/v1/visits").json()
    assert {v["id"] for v in both["items"]} == {mine.pk, theirs.pk}
    assert api(users.nobody).get("/api/v1/visits").json() == {"items": [], "count": 0}


def test_the_list_filters_by_region_and_period(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    june = make_visit(household_in(tree.grid_a), day=datetime.date(2026, 6, 1))
    july = make_visit(household_in(tree.grid_b), day=datetime.date(2026, 7, 1))
    client = api(users.street_admin)

    def ids(**params: str) -> list[int]:
        response = client.get("/api/v1/visits", params)
        assert response.status_code == 200, response.content
        return [v["id"] for v in response.json()["items"]]

    assert ids() == [july.pk, june.pk]  # newest first
    assert ids(region=tree.community_a.code) == [june.pk]
    assert ids(start="2026-06-15") == [july.pk]
    assert ids(end="2026-06-15") == [june.pk]
    for params, field in (({"start": "2026-13-01"}, "start"), ({"end": "1800-01-01"}, "end")):
        bad = client.get("/api/v1/visits", params)
        assert bad.status_code == 422 and field in fields_in(bad), bad.content
    assert client.get("/api/v1/visits", {"region": tree.community_c.code}).status_code in (404, 422)


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_pins_its_queries(tree: Any, users: Any, n: int, django_assert_num_queries: Any) -> None:
    units_for(tree.street, [tree.community_a])
    for _ in range(n):
        make_visit(household_in(tree.grid_a))
    client = api(users.worker_a)
    client.get("/api/v1/visits")  # the token's last-used stamp
    with django_assert_num_queries(5):  # + the households' heads, which name them
        assert client.get("/api/v1/visits").json()["count"] == n
