"""The home page: figures of a region in the user's scope, charts fed without inline script."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def chart(response: Any, element_id: str) -> dict[str, Any]:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert match, element_id
    return json.loads(match.group(1))


def test_home_requires_login(client: Any) -> None:
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_renders_and_signs_in(client: Any, users: Any) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "worker_a", "password": "wushe-test-pass"})
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    logout = client.post(reverse("logout"))
    assert logout.status_code == 302
    assert client.get(HOME).status_code == 302


def test_home_shows_the_workers_region(users: Any, person_a: Any, person_b: Any) -> None:
    response = login(users.worker_a).get(HOME)
    assert response.status_code == 200
    assert response.context["region"].code == "371602003001"
    cards = {c["figure"].key: c["figure"].value for c in response.context["cards"]}
    assert cards == {"persons": 1, "households": 0, "disabled": 1, "communities": 1, "grids": 1}
    ledger = chart(response, "ledger-chart-data")
    assert [(i["colour"], i["value"]) for i in ledger["items"]] == [
        ("red", 1),
        ("blue", 0),
        ("green", 0),
        ("yellow", 0),
    ]
    assert ledger["items"][0]["label"] == "红色"  # the colour named in words
    assert [c["categories"] for c in response.context["colours"]] == [
        "智力、精神",
        "肢体",
        "视力、听力、言语",
        "多重",
    ]
    communities = chart(response, "community-chart-data")
    assert communities["items"] == [{"label": "甲社区", "value": 1, "colour": "default"}]
    page = response.content.decode()
    assert "李四" not in page and "乙社区" not in page


def test_street_admin_sees_the_street_and_can_pick_a_community(
    users: Any, person_a: Any, person_b: Any
) -> None:
    client = login(users.street_admin)
    street = client.get(HOME)
    assert street.context["region"].code == "371602003000"
    cards = {c["figure"].key: c["figure"].value for c in street.context["cards"]}
    assert cards["persons"] == 2 and cards["communities"] == 2 and cards["disabled"] == 2
    items = chart(street, "community-chart-data")["items"]
    assert [(i["label"], i["value"]) for i in items] == [("甲社区", 1), ("乙社区", 1)]
    picked = client.get(HOME, {"region": "371602003002"})
    assert picked.context["region"].code == "371602003002"
    assert {c["figure"].key: c["figure"].value for c in picked.context["cards"]}["persons"] == 1
    codes = [code for code, _label, _selected in street.context["picker"]]
    assert "371602003001" in codes and "371602001001" not in codes  # 丙社区 is another street


def test_a_region_out_of_scope_is_the_same_404_as_a_missing_one(
    users: Any, person_a: Any, person_b: Any
) -> None:
    client = login(users.worker_a)
    out_of_scope = client.get(HOME, {"region": "371602003002"})
    missing = client.get(HOME, {"region": "999999999999"})
    assert out_of_scope.status_code == missing.status_code == 404
    assert "乙社区" not in out_of_scope.content.decode()


def test_user_without_grants_sees_a_notice(users: Any) -> None:
    response = login(users.nobody).get(HOME)
    assert response.status_code == 200
    assert response.context["region"] is None


def test_superuser_sees_everything(users: Any, person_a: Any, person_b: Any) -> None:
    response = login(users.admin).get(HOME)
    cards = {c["figure"].key: c["figure"].value for c in response.context["cards"]}
    assert cards["persons"] == 2 and cards["communities"] == 3
    assert 'href="/admin/"' in response.content.decode()  # the operators' admin: superusers only
    street = login(users.street_admin).get(HOME).content.decode()
    assert 'href="/admin/"' not in street and 'href="/settings/"' in street


def test_home_has_no_inline_code_and_loads_local_assets_only(users: Any, person_a: Any) -> None:
    page = login(users.worker_a).get(HOME).content.decode()
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert not re.search(r"\sstyle\s*=", page)
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "/static/vendor/echarts/echarts.min.js" in sources
    assert 'data-chart="ledger-chart-data"' in page


def test_home_in_english(users: Any, person_a: Any) -> None:
    client = login(users.worker_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    page = client.get(HOME)
    text = page.content.decode()
    assert '<html lang="en">' in text
    assert "Four-colour ledger" in text and "Registered residents" in text and "Residents" in text
    assert chart(page, "ledger-chart-data")["items"][0]["label"] == "Red"
    assert page.context["colours"][0]["categories"] == "Intellectual, Mental"
    back = client.post(reverse("set_language"), {"language": "zh-hans", "next": HOME})
    assert back.status_code == 302
    assert "四色台账" in client.get(HOME).content.decode()


def test_home_queries_do_not_grow_with_rows(
    users: Any, tree: Any, person_a: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(users.street_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(30):
        PersonFactory(region=[tree.grid_a, tree.community_b, tree.grid_b][i % 3], category=(i % 7) + 1)
    assert count() == small
    # session (read, user, save ×3), grants, permissions ×3 (navigation), figures, charts, picker,
    # the subtree's region ids (once for the figures, once for the people by community)
    with django_assert_max_num_queries(26):
        client.get(HOME)


def test_api_stats_with_a_period(users: Any, person_a: Any) -> None:
    client = login(users.street_admin)
    response = client.get(
        "/api/v1/stats", {"region": "371602003000", "from": "2000-01-01", "to": "2000-12-31"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2000-01-01", "to": "2000-12-31"}
    assert body["metrics"]["disabled"] == 0 and body["metrics"]["persons.new"] == 0
    now = client.get("/api/v1/stats", {"region": "371602003000"}).json()
    assert now["metrics"]["persons.new"] == 1 and now["period"] == {"from": None, "to": None}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "from"),
    ],
)
def test_api_stats_bad_dates_name_the_field(users: Any, query: dict[str, str], field: str) -> None:
    response = login(users.street_admin).get("/api/v1/stats", {"region": "371602003000", **query})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(field in [str(x) for x in d.get("loc", [])] or d.get("field") == field for d in detail), detail
