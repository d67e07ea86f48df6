"""A 390 px phone: no page scrolls sideways, and no table hides the status or the action of its
rows off-screen (app.css and app.js stack every table of a .table-responsive as cards); the
visit form's 敲开家门 radio buttons are radio buttons. In both languages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .server import CONTEXT_OPTIONS, PHONE_VIEWPORT, App, log_in

pytestmark = pytest.mark.browser

LANGUAGES = ["zh-hans", "en"]
# Every list page, as 云门山街道's administrator (visits, needs and the settings) or 市西街道's
# (its cases, groups, activities, requests and volunteers).
LISTS = {
    "/registry/persons/": "yunmenshan",
    "/registry/ledger/": "yunmenshan",
    "/visits/": "yunmenshan",
    "/visits/coverage/": "shixi",
    "/needs/": "yunmenshan",
    "/needs/problems/": "yunmenshan",
    "/partners/organizations/": "shixi",
    "/partners/resources/": "shixi",
    "/partners/responsibilities/": "yunmenshan",
    "/projects/": "shixi",
    "/services/cases/": "shixi",
    "/services/groups/": "shixi",
    "/services/activities/": "shixi",
    "/appeals/": "shixi",
    "/appeals/studios/": "shixi",
    "/volunteers/": "shixi",
    "/volunteers/teams/": "shixi",
    "/imports/": "yunmenshan",
    "/accounts/users/": "yunmenshan",
    "/accounts/audit/": "yunmenshan",
    "/settings/tags/": "yunmenshan",
    "/settings/need-categories/": "yunmenshan",
    "/settings/calendar/": "shixi",
    "/settings/step-limits/": "shixi",
    "/reports/drill/visits/": "yunmenshan",
}
# Detail pages with tables: from a list, the first of each link in turn, followed as this user.
DETAILS = {
    "team": ("team1", "/volunteers/teams/", ["main table tbody a[href^='/volunteers/teams/']"]),
    "household": ("limin", "/visits/coverage/", ["main table tbody a[href*='/registry/households/']"]),
    "person": ("limin", "/registry/persons/", ["main table tbody a[href*='/registry/persons/']"]),
    "case": ("shixi", "/services/cases/", ["main table tbody a[href*='/services/cases/']"]),
    "group": ("shixi", "/services/groups/", ["main table tbody a[href*='/services/groups/']"]),
    "responsibility": (  # a unit with a need: the need's unit
        "yunmenshan",
        "/needs/",
        ["main table tbody a[href*='/needs/']", "main a[href*='/partners/responsibilities/']"],
    ),
    "user": ("yunmenshan", "/accounts/users/", ["main table tbody a[href*='/accounts/users/']"]),
}

# What sticks out at the right: the page's width against the window's, and each visible table's
# first row, cell by cell (an empty cell is not shown on a phone).
MEASURE = """() => {
    const cells = [];
    let tables = 0;
    for (const table of document.querySelectorAll("main table")) {
        if (!table.offsetParent || !table.tBodies.length || !table.tBodies[0].rows.length) { continue; }
        tables += 1;
        for (const cell of table.tBodies[0].rows[0].cells) {
            const r = cell.getBoundingClientRect();
            if (!r.width && !r.height) { continue; }
            if (r.left < -1 || r.right > window.innerWidth + 1) {
                cells.push(`${cell.getAttribute("data-label") || cell.tagName}: ${cell.innerText.trim().slice(0, 40)} (${Math.round(r.left)}…${Math.round(r.right)} px)`);
            }
        }
    }
    return {width: document.documentElement.scrollWidth, window: window.innerWidth, tables, cells};
}"""


@pytest.fixture(scope="module")
def sessions(browser: Browser, app: App) -> Iterator[dict[str, list[Any]]]:
    """The signed-in cookies of each user the pages are opened as."""
    out: dict[str, list[Any]] = {}
    for username in sorted({*LISTS.values(), *(u for u, _l, _s in DETAILS.values())}):
        ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
        log_in(ctx.new_page(), app, username)
        out[username] = ctx.cookies()
        ctx.close()
    yield out


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": PHONE_VIEWPORT}


def _open(context: BrowserContext, page: Page, app: App, cookies: list[Any], lang: str, url: str) -> None:
    context.add_cookies([*cookies, {"name": "django_language", "value": lang, "url": app.url}])
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"


def _assert_fits(page: Page, what: str) -> dict[str, Any]:
    got: dict[str, Any] = page.evaluate(MEASURE)
    assert got["width"] <= got["window"], f"{what} is {got['width']} px wide at {got['window']} px"
    assert not got["cells"], f"{what}: the first row's cells are off-screen: {got['cells']}"
    return got


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("url", list(LISTS))
def test_a_list_fits_a_phone(
    url: str, lang: str, context: BrowserContext, page: Page, app: App, sessions: dict[str, list[Any]]
) -> None:
    _open(context, page, app, sessions[LISTS[url]], lang, url)
    got = _assert_fits(page, url)
    rows = page.locator("main .table-responsive > table > tbody > tr")
    if got["tables"] and rows.count():
        # the rows are cards: the last cell (the status or the action) shown, under its label
        last = rows.first.locator("> td:not(:empty)").last
        expect(last).to_be_visible()
        label = last.get_attribute("data-label")
        if label:
            before = last.evaluate("c => getComputedStyle(c, '::before').content")
            assert label in before, (label, before)


def test_most_lists_have_rows_to_measure(
    context: BrowserContext, page: Page, app: App, sessions: dict[str, list[Any]]
) -> None:
    """The demo fills the lists: the test above measures rows, not empty pages."""
    empty = []
    for url, user in LISTS.items():
        _open(context, page, app, sessions[user], "zh-hans", url)
        # a table with rows, or a list of items (the problem list is a list group)
        if not page.evaluate(MEASURE)["tables"] and not page.locator("main .list-group-item").count():
            empty.append(url)
    assert len(empty) <= 3, empty


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(DETAILS))
def test_a_detail_page_fits_a_phone(
    name: str, lang: str, context: BrowserContext, page: Page, app: App, sessions: dict[str, list[Any]]
) -> None:
    user, listing, links = DETAILS[name]
    _open(context, page, app, sessions[user], lang, listing)
    for link in links:
        href = page.locator(link).first.get_attribute("href")
        assert href, f"no {link} on {page.url}"
        page.goto(href)
    got = _assert_fits(page, f"the {name} page {page.url}")
    assert got["tables"] or name == "user", f"the {name} page shows no table"


def test_the_team_page_of_a_team_leader_fits(
    context: BrowserContext, page: Page, app: App, sessions: dict[str, list[Any]]
) -> None:
    """The team page with its records waiting for the leader (verify forms in the rows)."""
    _open(context, page, app, sessions["team1"], "zh-hans", "/volunteers/teams/")
    page.goto(str(page.locator("main table tbody a[href^='/volunteers/teams/']").first.get_attribute("href")))
    _assert_fits(page, "the team page")
    verify = page.get_by_role("button", name="核实", exact=True).first
    expect(verify).to_be_in_viewport()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_visit_forms_radio_buttons_show(
    lang: str, context: BrowserContext, page: Page, app: App, sessions: dict[str, list[Any]]
) -> None:
    _open(context, page, app, sessions["limin"], lang, "/visits/coverage/")
    household = page.locator("main table tbody a[href*='/registry/households/']").first.get_attribute("href")
    assert household
    page.goto(f"/visits/new/?household={household.rstrip('/').rsplit('/', 1)[-1]}")
    _assert_fits(page, "the visit form")
    radios = page.locator("input[type=radio][name=reached]")
    expect(radios).to_have_count(2)
    for radio in radios.all():
        expect(radio).to_be_visible()
        expect(radio).to_have_class("form-check-input")
        box = radio.bounding_box()
        assert box is not None and 10 <= box["width"] <= 32 and 10 <= box["height"] <= 32, box
    expect(radios.first).to_be_checked()  # 是，已入户 by default
    radios.last.check()
    expect(radios.last).to_be_checked()
    expect(radios.first).not_to_be_checked()
