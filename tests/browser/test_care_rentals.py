"""Care plans and assistive-device rental in a real browser against the served demo: a plan's
month shows planned against done and a recorded service counts; a wheelchair comes back, is
offered to nobody while in 清洁消毒 and 检查维修, and is rented again once back in stock."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .server import App, log_in

pytestmark = pytest.mark.browser


def test_a_care_plan_month_and_a_service_recorded(page: Page, app: App) -> None:
    log_in(page, app, "shixi")
    page.goto("/care/")
    page.locator("table a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("困难重度残疾人照护")
    table = page.locator("table").first
    expect(table).to_contain_text("计划与完成")
    row = table.locator("tr", has_text="康复指导")
    done = int(row.locator("td").nth(1).inner_text())
    page.locator("#id_service_type").select_option(label="康复指导")
    page.locator("#id_minutes").fill("45")
    page.locator("#id_worker").fill("浏览器测试社工")
    page.locator("#id_satisfaction").select_option("satisfied")
    page.get_by_role("button", name="登记服务").click()
    expect(page.locator("table").first.locator("tr", has_text="康复指导").locator("td").nth(1)).to_have_text(
        str(done + 1)
    )


def test_a_wheelchair_goes_round(page: Page, app: App) -> None:
    log_in(page, app, "shixi")
    page.goto("/rentals/orders/?open=on&q=SX-1222")
    page.locator("table a").first.click()
    rental_url = page.url
    serial = re.search(r"SX-1222-\d+", page.locator("dl").inner_text())
    assert serial is not None
    page.locator("#id_condition").select_option("worn")
    page.get_by_role("button", name="登记归还").click()
    expect(page.locator("dl")).to_contain_text("清洁消毒")

    def offered() -> list[str]:
        page.goto(rental_url)
        page.get_by_role("link", name="为该居民租用器具").click()
        return page.locator("#id_item option").all_inner_texts()

    assert not any(serial.group(0) in o for o in offered())
    page.goto(rental_url)
    page.locator("dl a").first.click()
    item_url = page.url
    for step, shown in (("repair", "检查维修"), ("in_stock", "在库")):
        page.locator("#id_to_status").select_option(step)
        page.get_by_role("button", name="更新状态").click()
        expect(page.locator("#item-status")).to_have_text(shown)
        if step == "repair":
            assert not any(serial.group(0) in o for o in offered())
            page.goto(item_url)
    options = offered()
    choice = next(o for o in options if serial.group(0) in o)
    page.locator("#id_item").select_option(label=choice)
    page.locator("#id_assessed_by").select_option(index=1)
    page.locator("#id_assessment").fill("浏览器测试：再次适配轮椅")
    page.get_by_role("button", name="出租").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("租赁单")
    expect(page.locator("dl")).to_contain_text("出租")
