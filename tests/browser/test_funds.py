"""Charity funds in a real browser (form fields found by their ids: a required field's label
also carries its mark) against the served demo: a community worker records a
donation and opens its receipt; a disbursement is requested, approved by the committee and paid
by another user; the fund's 公示 opens from its public link without a login."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .server import CONTEXT_OPTIONS, App, log_in

pytestmark = pytest.mark.browser


def _open_fund(page: Page) -> str:
    page.goto("/funds/")
    page.locator("table a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("慈善基金")
    return page.url


def test_donation_request_votes_payment_and_the_public_notice(page: Page, app: App, browser: Browser) -> None:
    log_in(page, app, "fund_staff")
    fund_url = _open_fund(page)
    page.get_by_role("link", name="登记捐赠").click()
    page.locator("#id_donor_kind").select_option("outsider")
    page.locator("#id_donor_name").fill("浏览器测试捐赠人")
    page.locator("#id_display").select_option("masked")
    page.locator("#id_amount").fill("1234.50")
    page.locator("#id_channel").select_option("cash")
    page.get_by_role("button", name="保存并开具票据").click()
    expect(page.get_by_role("heading", name="公益事业捐赠票据")).to_be_visible()
    expect(page.get_by_test_id("receipt-number")).to_have_text(re.compile(r"^JZ\d{4}-\d{6}$"))
    expect(page.get_by_role("button", name="打印票据")).to_be_visible()

    page.goto(fund_url)
    page.get_by_role("link", name="申请支出").click()
    page.locator("#id_amount").fill("100.00")
    page.locator("#id_purpose").fill("浏览器测试支出")
    page.locator("#id_project").select_option(index=1)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("status")).to_contain_text("待审批")
    request_url = page.url

    for member in ("fund01_3", "fund01_4", "fund01_5"):
        ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
        voter = ctx.new_page()
        log_in(voter, app, member)
        voter.goto(request_url)
        voter.get_by_role("button", name="同意", exact=True).click()
        ctx.close()

    payer_ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
    payer = payer_ctx.new_page()
    log_in(payer, app, "fund_payer")
    payer.goto(request_url)
    expect(payer.get_by_test_id("status")).to_contain_text("已批准")
    payer.locator("#id_voucher_number").fill("BROWSER-001")
    payer.get_by_role("button", name="确认支付").click()
    expect(payer.get_by_test_id("status")).to_contain_text("已支付")
    payer_ctx.close()

    page.goto(fund_url)
    expect(page.locator("table").nth(1)).to_contain_text("浏览器测试支出")
    public_href = page.get_by_role("link", name="公开公示页面（无需登录）").get_attribute("href")
    assert public_href and public_href.startswith("/public/funds/")

    anonymous = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
    notice = anonymous.new_page()
    notice.goto(public_href)
    expect(notice.get_by_role("heading", level=1)).to_contain_text("收支公示")
    expect(notice.locator("body")).to_contain_text("浏*******")
    expect(notice.locator("body")).not_to_contain_text("浏览器测试捐赠人")
    anonymous.close()
