"""List pages sort by their main columns (only the columns a page names; header links with
aria-sort) and say what to do next when empty (core.listing.Sort / Empty)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import RequestFactory

from tests.conftest import login
from tests.factories import UserFactory
from tests.outreach_factories import household_in, make_need, make_visit, units_for
from wushe.accounts.roles import Role
from wushe.core.listing import Empty, ListPage, Sort, choice_order
from wushe.needs.models import Need
from wushe.needs.views import NEEDS

pytestmark = pytest.mark.django_db


def _rows(page: str) -> list[str]:
    return re.findall(r'href="/needs/\d+/">([^<]+)</a>', page)


@pytest.fixture
def needs(tree: Any) -> list[Need]:
    units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a])
    out = []
    for i, (name, days, category) in enumerate(
        [("乙", 30, "rehab"), ("甲", 10, "employment"), ("丙", 20, "rehab")]
    ):
        out.append(
            make_need(
                household_in(tree.grid_a),
                description=f"需求{name}",
                category=category,
                deadline=datetime.date(2026, 1, 1) + datetime.timedelta(days=days + i),
                reported_on=datetime.date(2025, 12, 1),
            )
        )
    return out


def test_a_column_sorts_both_ways_and_says_so(users: Any, needs: list[Need]) -> None:
    client = login(users.worker_a)
    page = client.get("/needs/?sort=deadline").content.decode()
    assert _rows(page) == ["需求甲", "需求丙", "需求乙"]
    header = re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*href="([^"]+)"', page)
    assert header is not None and "sort=-deadline" in header.group(1)  # the next click reverses it
    assert page.count("aria-sort=") == 1  # only the sorted column carries the state
    page = client.get("/needs/?sort=-deadline").content.decode()
    assert _rows(page) == ["需求乙", "需求丙", "需求甲"] and 'aria-sort="descending"' in page
    # every sortable header is a link (reachable by Tab, followed by Enter), htmx-enhanced
    assert len(re.findall(r'<a class="sort-link[^"]*" href="/needs/\?[^"]*sort=', page)) == 6
    assert 'hx-target="#list-results"' in page


def test_sorting_keeps_the_filters_and_restarts_at_page_one(users: Any, needs: list[Need]) -> None:
    page = login(users.worker_a).get("/needs/?category=rehab&page=1&sort=deadline").content.decode()
    assert _rows(page) == ["需求丙", "需求乙"]
    links = re.findall(r'class="sort-link[^"]*" href="([^"]+)"', page)
    assert all("category=rehab" in link and "page=" not in link for link in links)


@pytest.mark.parametrize(
    "sort", ["password", "-id_number", "region__path", "deadline;drop", "x" * 500, "--deadline", "__class__"]
)
def test_an_unknown_sort_is_ignored(users: Any, needs: list[Need], sort: str) -> None:
    client = login(users.worker_a)
    default = _rows(client.get("/needs/").content.decode())
    response = client.get("/needs/", {"sort": sort})
    assert response.status_code == 200 and _rows(response.content.decode()) == default


def test_the_export_follows_the_sort(users: Any, needs: list[Need]) -> None:
    request = RequestFactory().get("/needs/", {"sort": "-deadline"})
    request.user = users.worker_a
    assert [n.description for n in NEEDS.listing(request).records] == ["需求乙", "需求丙", "需求甲"]


def test_a_workflow_column_sorts_in_workflow_order() -> None:
    sort = Sort("s", "状态", (choice_order("status", ["b", "a"]),))
    ascending, descending = sort.order_by(descending=False), sort.order_by(descending=True)
    assert ascending[-1] == "pk" and descending[-1] == "-pk"
    assert not ascending[0].descending and descending[0].descending


def test_the_default_order_is_marked_without_a_sort_parameter(users: Any, tree: Any) -> None:
    make_visit(household_in(tree.grid_a))
    page = login(users.worker_a).get("/visits/").content.decode()
    assert re.search(r'aria-sort="descending"><a [^>]*href="/visits/\?sort=day"', page)


def test_an_empty_list_says_what_to_do_next(users: Any, tree: Any) -> None:
    page = login(users.worker_a).get("/services/cases/").content.decode()
    assert "还没有个案" in page and 'href="/services/cases/new/"' in page and "开个案" in page
    leader = UserFactory(role=Role.LEADER, region=tree.street)
    page = login(leader).get("/services/cases/").content.decode()
    assert "还没有个案" in page and "开个案" not in page  # may not act: no action offered
    page = login(users.worker_a).get("/services/cases/?q=nobody").content.decode()
    assert "没有符合筛选条件的记录" in page and 'href="/services/cases/">清除筛选' in page


def test_an_empty_list_of_needs_points_to_where_needs_are_recorded(users: Any, tree: Any) -> None:
    page = login(users.worker_a).get("/needs/").content.decode()
    assert "还没有登记需求" in page and 'href="/registry/persons/"' in page


def test_empty_state_without_permission_or_url() -> None:
    page = ListPage(template="x.html", records=lambda **kw: None, empty=Empty("空"))  # type: ignore[arg-type]
    request = RequestFactory().get("/x/")
    request.user = UserFactory.build()
    state = page.empty_state(request)
    assert state is not None and state["text"] == "空" and state["action"] == "" and not state["filtered"]


def test_a_table_shown_without_its_list_page_keeps_plain_headers(users: Any, tree: Any) -> None:
    """A team's page lists its volunteers with the volunteer list's table, unsorted there."""
    from tests.factories import OrganizationFactory
    from wushe.partners.models import OrganizationKind
    from wushe.volunteers.services import team_create, volunteer_create

    org = OrganizationFactory(
        region=tree.community_a, kind=OrganizationKind.VOLUNTEER_TEAM, name="思源志愿服务队"
    )
    team = team_create(acting_user=None, organization=org)
    volunteer_create(acting_user=None, team=team, name="李志愿", joined_on=datetime.date(2026, 1, 5))
    page = login(users.street_admin).get(f"/volunteers/teams/{team.pk}/").content.decode()
    assert '<th scope="col">志愿者编号</th>' in page and 'class="sort-link' not in page
    assert 'href=""' not in page
