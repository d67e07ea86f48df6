"""The main menu (core.nav): an entry is offered exactly when its page's own view lets the user
in — checked for every entry and every role by opening the page — and only what the role may use
is on the bar."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OrganizationFactory, UserFactory
from wushe.accounts.roles import ORGANIZATION_ROLES, Role
from wushe.core.nav import ENTRIES, MenuEntry, may_open, menu_for
from wushe.partners.models import OrganizationKind

pytestmark = pytest.mark.django_db

ORG_KIND = {
    Role.ORG_STAFF: OrganizationKind.PROFESSIONAL,
    Role.TEAM_LEADER: OrganizationKind.VOLUNTEER_TEAM,
    Role.STUDIO: OrganizationKind.STUDIO,
}


def _user(role: str, tree: Any) -> Any:
    if role in ORGANIZATION_ROLES:
        org = OrganizationFactory(region=tree.community_a, kind=ORG_KIND[Role(role)], name=f"导航{role}")
        return UserFactory(username=f"nav_{role}", role=role, organization=org)
    return UserFactory(username=f"nav_{role}", role=role, region=tree.community_a)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [*Role, "nobody", "superuser"])
def test_the_menu_offers_a_page_exactly_when_its_view_lets_the_user_in(role: str, tree: Any) -> None:
    if role == "nobody":
        user = UserFactory(username="nav_nobody")
    elif role == "superuser":
        user = UserFactory(username="nav_root", is_superuser=True)
    else:
        user = _user(role, tree)
    client = _client(user)
    offered = {link.url for n in menu_for(user) for link in n.links} | {n.url for n in menu_for(user)}
    for name in ENTRIES:
        status = client.get(reverse(name)).status_code
        assert status in (200, 403), (name, role, status)
        assert may_open(user, name) == (status == 200), (name, role, status)
        assert (reverse(name) in offered) == (status == 200), (name, role)


def _flat(user: Any) -> list[str]:
    """The menu's links, a dropdown's as ``group/label``."""
    out = []
    for node in menu_for(user):
        if node.links:
            out += [f"{node.label}/{link.label}" for link in node.links]
        else:
            out.append(str(node.label))
    return out


def test_each_role_has_the_menu_of_its_work(tree: Any, users: Any) -> None:
    studio = _flat(_user(Role.STUDIO, tree))
    # a group with one page open to the studio is that page's link; the others a dropdown
    assert studio == [
        "首页",
        "项目清单",
        "服务工作/社区活动",
        "服务工作/居民诉求",
        "服务工作/网上诉求待受理",  # the residents' own door: a studio accepts what they submit
        "服务工作/代表委员工作室",
    ]
    assert _flat(_user(Role.TEAM_LEADER, tree)) == [
        "首页",
        "服务工作/社区活动",
        "服务工作/志愿者",
        "服务工作/志愿服务队",
    ]
    staff = _flat(_user(Role.ORG_STAFF, tree))
    assert "四项清单/需求清单" in staff and "服务工作/个案" in staff
    assert not [e for e in staff if e.startswith(("统计看板", "居民", "走访"))]
    assert _flat(users.nobody) == ["首页"]
    worker = _flat(users.worker_a)
    assert worker[:2] == ["首页", "统计看板"] and "居民/台账导入" in worker
    assert "居民/台账导入" not in _flat(users.leader)  # importing is the registry's writers'


def test_the_current_page_and_its_section_are_marked(users: Any) -> None:
    nodes = {
        str(n.label): n for n in menu_for(users.worker_a, view_name="needs:need_detail", namespace="needs")
    }
    lists = nodes["四项清单"]
    assert lists.active and not any(link.current for link in lists.links)
    nodes = {
        str(n.label): n for n in menu_for(users.worker_a, view_name="needs:need_list", namespace="needs")
    }
    assert [str(link.label) for link in nodes["四项清单"].links if link.current] == ["需求清单"]
    home = {str(n.label): n for n in menu_for(users.worker_a, view_name="home")}["首页"]
    assert home.current and home.active


def test_a_page_missing_from_the_url_conf_is_not_offered(users: Any, monkeypatch: Any) -> None:
    from wushe.core import nav

    monkeypatch.setitem(nav.ENTRIES, "nowhere:page", MenuEntry("nowhere:page", "无处"))
    assert not may_open(users.admin, "nowhere:page")
    assert "无处" not in _flat(users.admin)


def test_the_bar_shows_only_what_the_role_may_use(tree: Any) -> None:
    staff = _user(Role.ORG_STAFF, tree)
    page = _client(staff).get("/").content.decode()
    nav = page[page.index('id="main-nav"') : page.index("account-toggle")]
    assert 'href="/needs/"' in nav and 'href="/services/cases/"' in nav
    for closed in ("/registry/persons/", "/registry/ledger/", "/visits/", "/reports/", "/volunteers/"):
        assert f'href="{closed}"' not in nav, closed
    assert "退出登录" in page
