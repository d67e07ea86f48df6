"""The working day of each demo role, from its home page: what the home must list for each role
and the steps the walks share (``test_working_day.py``). A later step extends the walks here:
add a role to ``ROLES``, a step function below, a walk in the test module.

The home page lists the role's to-dos (``core.todos``): each a card ``[data-todo=<key>]`` with
its count (``.todo-count``), a link to the filtered list (``.todo-link``) and its first records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation
from playwright.sync_api import Page, expect

from .server import App, log_in


@dataclass(frozen=True)
class RoleDay:
    """A demo login and what its home must show from the demo records."""

    username: str
    role: str
    work: tuple[str, ...]  # to-do keys with a count above zero in the demo
    menu: tuple[str, ...] = ()  # hrefs the menu must offer
    not_menu: tuple[str, ...] = ()  # hrefs it must not
    figures: bool = False  # the region's figures on the home (the 领导)


# The eight demo logins (seed_demo's LOGINS) and their work in the demo streets.
ROLES = {
    "admin": RoleDay("admin", "系统管理员", ("needs.overdue", "appeals.overdue", "volunteers.to_verify")),
    "shixi": RoleDay(
        "shixi",
        "街道管理员",
        ("appeals.overdue", "visits.not_visited"),
        menu=("/reports/", "/registry/persons/", "/imports/", "/needs/"),
    ),
    "shixi_leader": RoleDay(
        "shixi_leader",
        "领导",
        ("appeals.overdue",),
        menu=("/reports/", "/registry/persons/"),
        not_menu=("/imports/",),
        figures=True,
    ),
    "limin": RoleDay(
        "limin",
        "社工",
        ("visits.not_visited", "casework.due"),
        menu=("/registry/persons/", "/visits/coverage/", "/needs/"),
    ),
    "yunmenshan": RoleDay("yunmenshan", "街道管理员", ("needs.overdue", "appeals.overdue")),
    "rubeichen": RoleDay(
        "rubeichen",
        "社会组织人员",
        ("casework.due", "appeals.waiting"),
        menu=("/needs/", "/services/cases/", "/appeals/"),
        not_menu=("/reports/", "/registry/persons/", "/visits/", "/volunteers/"),
    ),
    "studio1": RoleDay(
        "studio1",
        "代表委员工作室",
        ("appeals.waiting",),
        menu=("/appeals/", "/appeals/studios/"),
        not_menu=("/reports/", "/registry/persons/", "/needs/", "/services/cases/"),
    ),
    "team1": RoleDay(
        "team1",
        "志愿服务队队长",
        ("volunteers.to_verify",),
        menu=("/volunteers/", "/volunteers/teams/"),
        not_menu=("/reports/", "/registry/persons/", "/needs/", "/appeals/"),
    ),
}


def tr(lang: str, text: str, **values: str) -> str:
    """``text`` as the served pages show it in ``lang``: the project's own catalogues (the test
    process loads the same settings as the server), so a walk reads its labels in either language."""
    with translation.override(lang):
        shown = translation.gettext(text)
    return shown % values if values else shown


SIGN_OUT = {"zh-hans": "退出登录", "en": "Sign out"}
HOME_HEADING = {"zh-hans": "今日待办", "en": "Today's work"}


def set_language(page: Page, app: App, lang: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": app.url}])


def open_home(page: Page, app: App, username: str, lang: str = "zh-hans") -> None:
    set_language(page, app, lang)
    log_in(page, app, username)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADING[lang])


def todo(page: Page, key: str) -> object:
    return page.locator(f"[data-todo='{key}']")


def todo_count(page: Page, key: str) -> int:
    """The count on a to-do's card (0 when the home lists it among those with nothing waiting)."""
    card = page.locator(f"[data-todo='{key}']")
    if not card.count():
        return 0
    return int(re.sub(r"\D", "", card.locator(".todo-count").inner_text()))


def follow_todo(page: Page, key: str) -> None:
    """Open the filtered list behind a to-do."""
    with page.expect_navigation():
        page.locator(f"[data-todo='{key}'] .todo-link").click()


def home_links(page: Page) -> list[str]:
    """Every link of the to-do list: each list and each record named under it."""
    return [str(a.get_attribute("href")) for a in page.locator(".todo-list a[href]").all()]


def opens_in_scope(page: Page, url: str) -> bool:
    """The link opens a page the user may see: 200, not sent to the login page."""
    response = page.request.get(url, max_redirects=0)
    return response.status == 200


def sign_out_reachable(page: Page, lang: str, width: int) -> None:
    """退出登录 is on screen: on the bar at desktop widths, behind the menu button on a phone."""
    button = page.get_by_role("button", name=SIGN_OUT[lang], exact=True)
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        expect(button).to_be_hidden()
        toggler.click()
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing pushed off-screen
