"""Each demo role's working day, from its home page (issue 16).

``test_each_roles_home_lists_its_work``: every one of the eight demo logins lands on its to-do
list — its work from the demo records with counts above zero, every link opening a page in its
scope, the menu with only what it may use — at 390 px and 1366 px, in Chinese and English, axe
clean, and 退出登录 on screen (behind the menu button on a phone).

The walks start from the home and follow its links; later steps (督办 and 回访, a volunteer's
training record) extend them here, with their helpers in ``day.py``:

- the social worker: home → a household not visited → a 五门一声 visit with a need → referral
  to an organization; then the organization: home → the referral waiting → accepted → the
  resident's phone shown (an access event) → 服务中 → 已满足 with the resident's satisfaction;
- the studio: home → a request waiting at its step → 转办;
- the team leader: home → hours waiting → verified.

Each walk runs at 390 px and 1366 px, in Chinese and in English (its labels read through the
project's catalogues, ``day.tr``), and every page it passes is axe clean and fits the screen.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .day import (
    ROLES,
    follow_todo,
    home_links,
    open_home,
    opens_in_scope,
    sign_out_reachable,
    todo_count,
    tr,
)
from .server import PHONE_VIEWPORT, App
from .test_accessibility import axe_problems

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
VIEWPORTS = [{"viewport": PHONE_VIEWPORT}, {"viewport": DESKTOP}]
PROVIDER = "滨州市如北辰社会工作服务中心"


@pytest.mark.parametrize("context_options", VIEWPORTS, ids=["390px", "1366px"])
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("username", list(ROLES))
def test_each_roles_home_lists_its_work(
    username: str, lang: str, context_options: dict[str, Any], page: Page, app: App
) -> None:
    role = ROLES[username]
    width = context_options["viewport"]["width"]
    open_home(page, app, username, lang)
    for key in role.work:
        assert todo_count(page, key) > 0, f"{username}'s home does not list {key}"
    offered = {a.get_attribute("href") for a in page.locator("#main-nav a[href]").all()}
    assert set(role.menu) <= offered, (username, sorted(offered))
    assert not set(role.not_menu) & offered, (username, sorted(offered))
    figures = page.locator(".figure-card")
    if role.figures:
        expect(figures.first).to_be_visible()
    else:
        expect(figures).to_have_count(0)
    if lang == "zh-hans" and width == DESKTOP["width"]:  # the links once per role
        links = home_links(page)
        assert links
        outside = [url for url in links if not opens_in_scope(page, url)]
        assert not outside, f"{username}'s home links to pages it may not open: {outside}"
    problems = axe_problems(page)
    assert not problems, f"axe found on {username}'s home ({lang}, {width} px):\n{problems}"
    sign_out_reachable(page, lang, width)


# Each walk runs at both widths and in both languages: (viewport, language) and its id.
WALKS = [
    pytest.param({"viewport": viewport}, lang, id=f"{width}-{lang}")
    for width, viewport in (("390px", PHONE_VIEWPORT), ("1366px", DESKTOP))
    for lang in ("zh-hans", "en")
]
# The social worker of each walk: a visit takes a household off its community's 待走访 list,
# and the demo leaves two per community (test_outreach visits one of 利民社区's), so each walk
# has a worker of its own community (seed_demo: sx_sgNNN works in community NNN mod 22).
WORKERS = {
    "390px-zh-hans": "limin",
    "390px-en": "sx_sg001",
    "1366px-zh-hans": "sx_sg002",
    "1366px-en": "sx_sg003",
}
# Each studio has two requests waiting for 转办 in the demo: one studio per width.
STUDIOS = {"390px": "studio1", "1366px": "studio2"}


def _clean(page: Page, where: str, lang: str, width: int) -> None:
    """The page of a walk's step is axe clean and fits the screen."""
    page.wait_for_load_state()  # the page and its styles, not the one it is leaving
    problems = axe_problems(page)
    assert not problems, f"axe found on {where} ({lang}, {width} px):\n{problems}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where


def _saved(page: Page, lang: str, text: str, **values: str) -> None:
    """The page says the write was done, in the interface's language."""
    expect(page.locator(".messages")).to_contain_text(tr(lang, text, **values))


@pytest.mark.parametrize(("context_options", "lang"), WALKS)
def test_walk_social_worker_to_a_referral_the_organization_then_serves(
    lang: str,
    context_options: dict[str, Any],
    page: Page,
    context: BrowserContext,
    app: App,
    request: pytest.FixtureRequest,
) -> None:
    width = context_options["viewport"]["width"]
    worker = WORKERS[request.node.callspec.id]
    open_home(page, app, worker, lang)
    to_visit = todo_count(page, "visits.not_visited")
    assert to_visit > 0
    follow_todo(page, "visits.not_visited")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "待走访名单"))
    _clean(page, "待走访名单", lang, width)
    page.get_by_role("link", name=tr(lang, "记录走访")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(lang, "记录五门一声走访"))
    _clean(page, "the visit form", lang, width)
    marker = f"需要康复训练指导{random.randint(1000, 9999)}"  # noqa: S311 — a test label
    page.get_by_label(tr(lang, "助洁")).check()
    page.locator("#id_needs-0-category").select_option(value="rehab")
    page.locator("#id_needs-0-description").fill(marker)
    page.get_by_role("button", name=tr(lang, "保存走访")).click()
    _saved(page, lang, "已记录走访，新增需求%(n)s项、问题%(p)s项", n="1", p="0")
    page.locator("main a", has_text=marker).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(marker)
    _clean(page, "the need with its suggestions", lang, width)
    page.locator("#suggestions + ol li", has_text=PROVIDER).first.get_by_role("button").click()
    _saved(page, lang, "已转介至%(org)s", org=PROVIDER)
    page.goto("/")
    assert todo_count(page, "visits.not_visited") == to_visit - 1  # visited: off the list

    context.clear_cookies()
    open_home(page, app, "rubeichen", lang)
    waiting = todo_count(page, "needs.referrals")
    assert waiting > 0
    follow_todo(page, "needs.referrals")
    _clean(page, "the referrals waiting", lang, width)
    page.locator("main a", has_text=marker).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(marker)
    page.get_by_role("button", name=tr(lang, "接收转介")).click()  # the organization accepts the referral
    _saved(page, lang, "已接收转介")
    page.get_by_role("button", name=tr(lang, "显示完整电话")).click()  # reach the resident (an access event)
    expect(page.locator("#contact")).to_contain_text(tr(lang, "已显示完整电话。此次查看已记入访问记录。"))
    _clean(page, "the referred need, the resident's phone shown", lang, width)
    page.locator("#id_to_status").select_option(value="in_service")
    page.get_by_role("button", name=tr(lang, "推进"), exact=True).click()
    _saved(page, lang, "已更新需求状态")
    page.locator("#id_to_status").select_option(value="met")
    page.locator("#id_satisfaction").select_option(value="satisfied")
    page.get_by_role("button", name=tr(lang, "推进"), exact=True).click()
    _saved(page, lang, "已更新需求状态")
    facts = page.locator("main dl").first
    expect(facts).to_contain_text(tr(lang, "已满足"))
    expect(facts).to_contain_text(tr(lang, "满意"))
    _clean(page, "the need met", lang, width)
    page.goto("/")
    assert todo_count(page, "needs.referrals") == waiting - 1  # accepted: no longer waiting


@pytest.mark.parametrize(("context_options", "lang"), WALKS)
def test_walk_studio_from_its_home_to_a_request(
    lang: str, context_options: dict[str, Any], page: Page, app: App
) -> None:
    width = context_options["viewport"]["width"]
    open_home(page, app, STUDIOS[f"{width}px"], lang)
    waiting = todo_count(page, "appeals.waiting")
    assert waiting > 0
    follow_todo(page, "appeals.waiting")
    expect(page.locator("main table tbody a[href^='/appeals/']").first).to_be_visible()
    _clean(page, "the requests waiting", lang, width)
    # a request received and waiting for 转办 (the studio's step): refer it to a unit
    page.goto("/appeals/?mine=on&step=receive")
    page.locator("main table tbody a[href^='/appeals/']").first.click()
    step = tr(lang, "办理下一步：%(s)s", s=tr(lang, "转办"))
    expect(page.get_by_role("heading", level=2, name=step)).to_be_visible()
    _clean(page, "the request at 转办", lang, width)
    page.locator("#id_unit").select_option(index=1)
    page.locator("#id_note").fill("转责任单位办理")
    page.locator("section[aria-labelledby='step-title'] button[type=submit]").click()
    _saved(page, lang, "已办理：%(s)s", s=tr(lang, "转办"))
    page.goto("/")
    assert todo_count(page, "appeals.waiting") == waiting - 1  # 处理 is the unit's


@pytest.mark.parametrize(("context_options", "lang"), WALKS)
def test_walk_team_leader_verifies_hours(
    lang: str, context_options: dict[str, Any], page: Page, app: App
) -> None:
    width = context_options["viewport"]["width"]
    open_home(page, app, "team1", lang)
    waiting = todo_count(page, "volunteers.to_verify")
    assert waiting > 0
    follow_todo(page, "volunteers.to_verify")
    expect(page.get_by_role("heading", level=2, name=tr(lang, "待核实的服务记录"))).to_be_visible()
    _clean(page, "the hours to verify", lang, width)
    page.locator("form[action*='/records/'] button[type=submit]", has_text=tr(lang, "核实")).first.click()
    _saved(page, lang, "已核实")
    page.goto("/")
    assert todo_count(page, "volunteers.to_verify") == waiting - 1
