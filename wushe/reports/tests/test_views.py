"""The home page: each role's to-do list, a 领导's also with the region's figures (charts fed
without inline script)."""

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


def test_the_workers_home_is_its_to_do_list(users: Any, tree: Any, person_a: Any, person_b: Any) -> None:
    from tests.outreach_factories import household_in, units_for

    units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])
    household_in(tree.grid_a, name="甲户主")
    household_in(tree.grid_b, name="乙户主")
    response = login(users.worker_a).get(HOME)
    assert response.status_code == 200
    items = {i.key: i for i in response.context["todos"]}
    assert items["visits.not_visited"].count == 1  # 甲社区's household, not 乙社区's
    assert items["visits.not_visited"].first[0].label.startswith("甲户主户")
    assert "needs.overdue" in {i.key for i in response.context["idle"]}  # applies, nothing waiting
    page = response.content.decode()
    assert 'data-todo="visits.not_visited"' in page and 'href="/visits/coverage/"' in page
    assert "乙户主" not in page and "李四" not in page
    assert "今日待办" in page and "社工：甲社区" in page
    # the figures are one click away, not on the home
    assert "cards" not in response.context and 'href="/reports/?region=371602003001"' in page


def test_the_leaders_home_is_its_regions_figures_with_what_is_overdue(
    users: Any, person_a: Any, person_b: Any
) -> None:
    client = login(users.leader)
    street = client.get(HOME)
    assert street.context["region"].code == "371602003000"
    assert [i.key for i in street.context["todos"] + street.context["idle"]] == [
        "needs.overdue",
        "appeals.overdue",
        "rentals.overdue",  # devices not returned on time (the leader's read of the rental service)
    ]
    cards = {c["figure"].key: c["figure"].value for c in street.context["cards"]}
    assert cards["persons"] == 2 and cards["communities"] == 2 and cards["disabled"] == 2
    items = chart(street, "community-chart-data")["items"]
    assert [(i["label"], i["value"]) for i in items] == [("甲社区", 1), ("乙社区", 1)]
    ledger = chart(street, "ledger-chart-data")
    assert [(i["colour"], i["value"]) for i in ledger["items"]] == [
        ("red", 1),
        ("blue", 1),
        ("green", 0),
        ("yellow", 0),
    ]
    assert ledger["items"][0]["label"] == "红色"  # the colour named in words
    assert [c["categories"] for c in street.context["colours"]] == [
        "智力、精神",
        "肢体",
        "视力、听力、言语",
        "多重",
    ]
    picked = client.get(HOME, {"region": "371602003002"})
    assert picked.context["region"].code == "371602003002"
    assert {c["figure"].key: c["figure"].value for c in picked.context["cards"]}["persons"] == 1
    codes = [code for code, _label, _selected in street.context["picker"]]
    assert "371602003001" in codes and "371602001001" not in codes  # 丙社区 is another street


def test_a_region_out_of_scope_is_the_same_404_as_a_missing_one(
    users: Any, person_a: Any, person_b: Any
) -> None:
    for user in (users.worker_a, users.leader):
        client = login(user)
        out_of_scope = client.get(
            HOME, {"region": "371602001001" if user is users.leader else "371602003002"}
        )
        missing = client.get(HOME, {"region": "999999999999"})
        assert out_of_scope.status_code == missing.status_code == 404
        assert "乙社区" not in out_of_scope.content.decode() and "丙社区" not in out_of_scope.content.decode()


def test_user_without_grants_sees_a_notice(users: Any) -> None:
    response = login(users.nobody).get(HOME)
    assert response.status_code == 200
    assert response.context["region"] is None and response.context["todos"] == []
    assert "还没有被授予任何角色" in response.content.decode()


def test_an_organizations_staff_lands_on_its_work_not_on_a_notice(tree: Any) -> None:
    from tests.factories import OrganizationFactory, UserFactory
    from wushe.accounts.roles import Role

    org = OrganizationFactory(region=tree.street, name="如北辰")
    staff = UserFactory(username="org_staff", role=Role.ORG_STAFF, organization=org)
    page = login(staff).get(HOME)
    keys = {i.key for i in page.context["todos"] + page.context["idle"]}
    assert {"needs.referrals", "casework.due", "appeals.waiting"} <= keys
    assert "visits.not_visited" not in keys and "没有被授予" not in page.content.decode()
    assert 'href="/reports/' not in page.content.decode()  # no figures of a region it cannot see


def test_superuser_sees_the_operators_admin(users: Any, person_a: Any, person_b: Any) -> None:
    response = login(users.admin).get(HOME)
    assert response.status_code == 200
    assert 'href="/admin/"' in response.content.decode()  # the operators' admin: superusers only
    street = login(users.street_admin).get(HOME).content.decode()
    assert 'href="/admin/"' not in street and 'href="/settings/"' in street


def test_home_has_no_inline_code_and_loads_local_assets_only(users: Any, person_a: Any) -> None:
    for user, charts in ((users.leader, True), (users.worker_a, False)):
        page = login(user).get(HOME).content.decode()
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", page)
        assert not re.search(r"\sstyle\s*=", page)
        sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
        assert sources and all(s.startswith("/static/") for s in sources), sources
        assert ("/static/vendor/echarts/echarts.min.js" in sources) == charts
        assert ('data-chart="ledger-chart-data"' in page) == charts


def test_home_in_english(users: Any, person_a: Any) -> None:
    client = login(users.leader)
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    page = client.get(HOME)
    text = page.content.decode()
    assert '<html lang="en">' in text
    assert "Today's work" in text and "Overdue requests in my area" in text
    assert "Four-colour ledger" in text and "Registered residents" in text and "Residents" in text
    assert "Leader (read-only): 市西街道" in text
    assert chart(page, "ledger-chart-data")["items"][0]["label"] == "Red"
    assert page.context["colours"][0]["categories"] == "Intellectual, Mental"
    back = client.post(reverse("set_language"), {"language": "zh-hans", "next": HOME})
    assert back.status_code == 302
    assert "四色台账" in client.get(HOME).content.decode()


def test_home_queries_do_not_grow_with_rows(
    users: Any, tree: Any, person_a: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.outreach_factories import household_in, units_for

    units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])
    client = login(users.street_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(30):
        household_in([tree.grid_a, tree.community_b, tree.grid_b][i % 3], category=(i % 7) + 1)
    assert count() == small
    # session (read, user, save), grants and roles, permissions (the menu), two queries per to-do
    # that applies (its count stopped at COUNT_CAP, its first records) — a street administrator
    # has ten, five more from the programmes (subsidy applications, care gaps, rentals overdue,
    # monitoring leads overdue, post recommendations) and one from the residents' door
    # (submissions waiting to be accepted)
    with django_assert_max_num_queries(49):
        client.get(HOME)


def test_the_leaders_home_queries_do_not_grow_with_rows(
    users: Any, tree: Any, person_a: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(users.leader)
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME)
    small = len(ctx.captured_queries)
    for i in range(30):
        PersonFactory(region=[tree.grid_a, tree.community_b, tree.grid_b][i % 3], category=(i % 7) + 1)
    with CaptureQueriesContext(connection) as ctx:
        client.get(HOME)
    assert len(ctx.captured_queries) == small
    with django_assert_max_num_queries(36):  # + the rentals overdue among what is overdue
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
