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
"""

from __future__ import annotations

import random
import re
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


@pytest.mark.parametrize("context_options", [{"viewport": PHONE_VIEWPORT}])
def test_walk_social_worker_to_a_referral_the_organization_then_serves(
    page: Page, context: BrowserContext, app: App
) -> None:
    open_home(page, app, "limin")
    to_visit = todo_count(page, "visits.not_visited")
    assert to_visit > 0
    follow_todo(page, "visits.not_visited")
    expect(page.get_by_role("heading", level=1)).to_have_text("待走访名单")
    page.get_by_role("link", name="记录走访").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("记录五门一声走访")
    marker = f"需要康复训练指导{random.randint(1000, 9999)}"  # noqa: S311 — a test label
    page.get_by_label("助洁").check()
    page.locator("#id_needs-0-category").select_option(label="康复训练")
    page.locator("#id_needs-0-description").fill(marker)
    page.get_by_role("button", name="保存走访").click()
    expect(page.locator(".messages")).to_contain_text("已记录走访")
    page.get_by_role("link", name=f"康复训练：{marker}").click()
    page.locator("#suggestions + ol li", has_text=PROVIDER).first.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text(f"已转介至{PROVIDER}")
    page.goto("/")
    assert todo_count(page, "visits.not_visited") == to_visit - 1  # visited: off the list

    context.clear_cookies()
    open_home(page, app, "rubeichen")
    waiting = todo_count(page, "needs.referrals")
    assert waiting > 0
    follow_todo(page, "needs.referrals")
    page.get_by_role("link", name=marker).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(marker)
    page.get_by_role("button", name="接收转介").click()  # the organization accepts the referral
    expect(page.locator(".messages")).to_contain_text("已接收转介")
    page.get_by_role("button", name="显示完整电话").click()  # reach the resident (an access event)
    expect(page.locator("#contact")).to_contain_text("已显示完整电话")
    page.get_by_role("combobox", name=re.compile("^推进到")).select_option(label="服务中")
    page.get_by_role("button", name="推进", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已更新需求状态")
    page.get_by_role("combobox", name=re.compile("^推进到")).select_option(label="已满足")
    page.get_by_role("combobox", name=re.compile("^居民满意度")).select_option(label="满意")
    page.get_by_role("button", name="推进", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已更新需求状态")
    facts = page.locator("main dl").first
    expect(facts).to_contain_text("已满足")
    expect(facts).to_contain_text("满意")
    page.goto("/")
    assert todo_count(page, "needs.referrals") == waiting - 1  # accepted: no longer waiting


@pytest.mark.parametrize("context_options", [{"viewport": PHONE_VIEWPORT}])
def test_walk_studio_from_its_home_to_a_request(page: Page, app: App) -> None:
    open_home(page, app, "studio1")
    waiting = todo_count(page, "appeals.waiting")
    assert waiting > 0
    follow_todo(page, "appeals.waiting")
    expect(page.locator("main table tbody a[href^='/appeals/']").first).to_be_visible()
    # a request received and waiting for 转办 (the studio's step): refer it to a unit
    page.goto("/appeals/?mine=on&step=receive")
    page.locator("main table tbody a[href^='/appeals/']").first.click()
    expect(page.get_by_role("heading", level=2, name="办理下一步：转办")).to_be_visible()
    unit = page.get_by_label("转办单位")
    unit.select_option(index=1)
    page.get_by_label("办理情况").fill("转责任单位办理")
    page.locator("section[aria-labelledby='step-title'] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已办理：转办")
    page.goto("/")
    assert todo_count(page, "appeals.waiting") == waiting - 1  # 处理 is the unit's


@pytest.mark.parametrize("context_options", [{"viewport": PHONE_VIEWPORT}])
def test_walk_team_leader_verifies_hours(page: Page, app: App) -> None:
    open_home(page, app, "team1")
    waiting = todo_count(page, "volunteers.to_verify")
    assert waiting > 0
    follow_todo(page, "volunteers.to_verify")
    expect(page.get_by_role("heading", level=2, name="待核实的服务记录")).to_be_visible()
    page.locator("form[action*='/records/'] button[type=submit]", has_text="核实").first.click()
    expect(page.locator(".messages")).to_contain_text("已核实")
    page.goto("/")
    assert todo_count(page, "volunteers.to_verify") == waiting - 1
