"""The outreach walk on a phone (390 px): 利民社区's social worker records a 五门一声 visit with a
need in one step, opens the need, accepts a suggested resource of 如北辰; the organization's
user (``rubeichen``) then sees that need, and only needs referred to 如北辰."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .server import PHONE_VIEWPORT, App, log_in

pytestmark = pytest.mark.browser

PROVIDER = "滨州市如北辰社会工作服务中心"


@pytest.mark.parametrize("context_options", [{"viewport": PHONE_VIEWPORT}])
def test_visit_need_referral_on_a_phone(page: Page, context: BrowserContext, app: App) -> None:
    log_in(page, app, "limin")
    page.goto("/visits/coverage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("待走访名单")
    page.get_by_role("link", name="记录走访").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("记录五门一声走访")
    for legend in ("敲开家门", "服务上门", "政策进门", "打开心门", "找准窍门", "聆听心声"):
        expect(page.locator("legend", has_text=legend)).to_be_visible()
    # nothing wider than the phone: the form needs no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    marker = f"需要康复训练指导{random.randint(1000, 9999)}"  # noqa: S311 — a test label
    page.get_by_label("助洁").check()
    page.get_by_label("宣讲政策数").fill("2")
    page.get_by_label("发放宣传资料（份）").fill("6")
    page.get_by_label("心理疏导").fill("聊家常，情绪稳定")
    page.locator("#id_needs-0-category").select_option(label="康复训练")
    page.locator("#id_needs-0-description").fill(marker)
    page.locator("#id_problems-0-description").fill("楼道扶手松动")
    page.get_by_role("button", name="保存走访").click()
    expect(page.locator(".messages")).to_contain_text("已记录走访")
    page.get_by_role("link", name=f"康复训练：{marker}").click()
    expect(page.get_by_role("heading", level=2, name="匹配建议")).to_be_visible()
    suggestion = page.locator("#suggestions + ol li", has_text=PROVIDER).first
    expect(suggestion).to_contain_text("同类需求（康复训练）")
    suggestion.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text(f"已转介至{PROVIDER}")
    need_url = page.url

    context.clear_cookies()
    log_in(page, app, "rubeichen")
    page.goto("/needs/")
    expect(page.locator("main table")).to_contain_text(marker)
    referred = page.locator("main table tbody tr td:last-child")
    for i in range(referred.count()):
        expect(referred.nth(i)).to_have_text(PROVIDER)
    page.goto(need_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(marker)
