"""The two disability subsidies in a real browser against the served demo: the street finds a
certificate holder who qualifies but receives nothing (应享未享), records the application with
the eligibility and its reasons on the page, takes the 初审; the county's federation reviews and
its civil affairs bureau approves; the street's roster of the month shows its approved state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .server import CONTEXT_OPTIONS, App, log_in

pytestmark = pytest.mark.browser


def _as(browser: Browser, app: App, username: str, url: str) -> tuple[object, Page]:
    ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
    page = ctx.new_page()
    log_in(page, app, username)
    page.goto(url)
    return ctx, page


def test_unclaimed_application_three_approvals_and_the_roster(page: Page, app: App, browser: Browser) -> None:
    log_in(page, app, "shixi")
    page.goto("/subsidies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("残疾人两项补贴")
    page.get_by_role("link", name="市西街道 应享未享与复核").click()
    unclaimed = page.get_by_test_id("unclaimed")
    expect(unclaimed).to_be_visible()
    unclaimed.get_by_role("link", name="登记申请").first.click()
    expect(page.get_by_test_id("eligibility-living")).to_be_visible()
    eligible = page.locator("[data-testid^=eligibility-]").filter(has_text="每月")
    kind = (eligible.first.get_attribute("data-testid") or "").removeprefix("eligibility-")
    page.locator("#id_kind").select_option(kind)
    page.locator("#id_bank_name").fill("中国农业银行滨州分行")
    page.locator("#id_bank_account").fill("6228 4800 9876 5432 101")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("status")).to_contain_text("待乡镇（街道）初审")
    expect(page.get_by_test_id("account")).to_have_text("6228***********2101")
    expect(page.locator("body")).not_to_contain_text("62284800987654321")
    url = page.url
    page.get_by_role("button", name="办理").click()
    expect(page.get_by_test_id("status")).to_contain_text("待县残联审核")

    for username, after in (("sub_cdpf", "待县民政审定"), ("sub_mca", "已审定，发放中")):
        ctx, other = _as(browser, app, username, url)
        other.get_by_role("button", name="办理").click()
        expect(other.get_by_test_id("status")).to_contain_text(after)
        ctx.close()  # type: ignore[attr-defined]

    page.goto(url)
    expect(page.get_by_test_id("steps").locator("li")).to_have_count(4)
    page.goto("/subsidies/")
    page.get_by_role("link", name="市西街道 发放名册").click()
    expect(page.get_by_test_id("roster-state")).to_contain_text("街道已审定")
    expect(page.get_by_test_id("rebuild")).to_be_visible()
