"""The poverty work in a real browser against the served demo (云门山街道): a social worker checks a
household and its failed 住房安全 item becomes a need with its unit and deadline; the household
page shows the check; the overdue lead is listed; a lead goes through its step form; the
household's booklet and card open as PDF; a community's booklets are made in the background."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .server import App, log_in

pytestmark = pytest.mark.browser


def test_check_need_overdue_lead_and_booklets(page: Page, app: App) -> None:
    log_in(page, app, "yunmenshan")
    page.goto("/registry/households/")
    page.locator("tbody th a").first.click()
    expect(page.locator("#section-poverty")).to_be_visible()
    household_url = page.url
    page.locator("#section-poverty").get_by_role("link", name="入户核查", exact=True).click()
    page.locator("#id_housing_failed").check()
    page.locator("#id_housing_finding").fill("浏览器测试：屋顶漏雨")
    page.locator("#id_housing_grade").select_option("C")
    page.locator("#id_income").fill("30000")
    page.get_by_role("button", name="保存核查").click()
    row = page.get_by_role("row").filter(has_text="住房安全保障")
    expect(row).to_contain_text("未达标")
    expect(row).to_contain_text(re.compile(r"期限 \d{4}-\d{2}-\d{2}"))
    expect(row).to_contain_text("浏览器测试：屋顶漏雨")

    page.goto(household_url)
    expect(page.locator("#section-poverty")).to_contain_text("未达标")

    page.goto("/poverty/leads/?overdue=on")
    expect(page.get_by_text("超期").first).to_be_visible()
    page.locator("tbody th a").first.click()
    expect(page.get_by_test_id("stage")).to_contain_text("民主评议")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("stage")).to_contain_text("公示")

    for path in (
        f"{household_url.rstrip('/').rsplit('/', 1)[-1]}/booklet/",
        f"{household_url.rstrip('/').rsplit('/', 1)[-1]}/card/",
    ):
        response = page.request.get(f"/poverty/households/{path}?format=pdf")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")

    page.goto("/poverty/booklets/")
    page.locator("#id_region").select_option(index=1)
    page.get_by_role("button", name="生成PDF").click()
    expect(page.get_by_test_id("batch-status")).to_be_visible()
