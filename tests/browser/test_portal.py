"""The residents' own door in a real browser against the served demo: a resident on a 390 px
phone, with the keyboard alone, submits a request (the community proposed from the address),
gets a number and a check code; 利民社区's studio accepts it and takes it to 反馈 (the street's
station handles it); the resident checks its progress with number and code and rates it; the
rating is among the records of the satisfaction figure. axe finds nothing serious on the public
pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .server import CONTEXT_OPTIONS, PHONE_VIEWPORT, App, log_in
from .test_accessibility import axe_problems

pytestmark = pytest.mark.browser


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus (as a keyboard user moves through a page)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _phone(browser: Browser, app: App) -> Page:
    ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url, "viewport": PHONE_VIEWPORT})
    return ctx.new_page()


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_resident_submits_checks_and_rates_by_keyboard_on_a_phone(browser: Browser, app: App) -> None:
    resident = _phone(browser, app)
    resident.goto("/public/requests/new/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("我要反映诉求")
    assert axe_problems(resident) == ""
    _no_sideways_scroll(resident)

    _tab_to(resident, "#id_content")
    resident.keyboard.type("家门口的台阶太高，轮椅出不去，想装一个坡道")
    _tab_to(resident, "#id_category_0")
    resident.keyboard.press("ArrowDown")  # 求助
    _tab_to(resident, "#id_address")
    resident.keyboard.type("市西街道利民社区12号楼1单元")
    _tab_to(resident, "#id_requester_name")
    resident.keyboard.type("浏览器居民")
    _tab_to(resident, "#id_requester_phone")
    resident.keyboard.type("13655550123")
    _tab_to(resident, "input[name=wants_visit]:checked")
    resident.keyboard.press("ArrowDown")  # 需要，请上门
    _tab_to(resident, "#id_consent")
    resident.keyboard.press("Space")
    _tab_to(resident, "main form button[type=submit]")
    resident.keyboard.press("Enter")

    # no community picked: the page proposes 利民社区 from the address, to confirm
    expect(resident.locator("#proposed")).to_contain_text("利民社区")
    expect(resident.locator("#id_community option:checked")).to_contain_text("利民社区")
    _tab_to(resident, "main form button[type=submit]")
    resident.keyboard.press("Enter")
    expect(resident.get_by_role("heading", level=1)).to_have_text("已提交，谢谢您！")
    number = resident.get_by_test_id("number").inner_text().strip()
    code = resident.get_by_test_id("code").inner_text().strip()
    assert re.fullmatch(r"WS\d{4}-\d{6}", number) and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert code not in resident.url and number not in resident.url
    assert axe_problems(resident) == ""

    # the studio of 利民社区 accepts it: from then on it is a request of channel 网上
    studio_ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
    studio = studio_ctx.new_page()
    log_in(studio, app, "studio1")
    studio.goto("/portal/submissions/")
    studio.get_by_role("link", name=number).click()
    studio.get_by_role("button", name="受理", exact=True).click()
    expect(studio).to_have_url(re.compile(r"/appeals/\d+/$"))
    appeal_url = studio.url
    sq = re.search(r"SQ\d{4}-\d{6}", studio.locator("main").inner_text())
    assert sq is not None
    studio.locator("#id_note").fill("电话联系了居民")
    studio.get_by_role("button", name="接待", exact=True).click()
    station = studio.locator("#id_unit option", has_text="市西街道社工站").first.get_attribute("value")
    studio.locator("#id_unit").select_option(value=station)
    studio.get_by_role("button", name="转办", exact=True).click()
    expect(studio.locator("main")).to_contain_text("市西街道社工站")

    street_ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
    street = street_ctx.new_page()
    log_in(street, app, "shixi")
    street.goto(appeal_url)
    street.locator("#id_resolution").fill("社工站联系残联，坡道已安装")
    street.locator("#id_resolved").check()
    street.get_by_role("button", name="处理", exact=True).click()

    studio.goto(appeal_url)
    studio.locator("#id_feedback").fill("已电话告知居民坡道装好")
    studio.get_by_role("button", name="反馈", exact=True).click()
    expect(studio.locator("main")).to_contain_text("反馈")

    # the resident checks with number and code (POSTed) and rates the result
    resident.goto("/public/requests/check/")
    assert axe_problems(resident) == ""
    _tab_to(resident, "#id_number")
    resident.keyboard.type(number)
    _tab_to(resident, "#id_code")
    resident.keyboard.type(code)
    resident.keyboard.press("Enter")
    expect(resident.get_by_test_id("number")).to_have_text(sq.group(0))
    steps = resident.get_by_test_id("steps")
    expect(steps).to_contain_text("转办")
    expect(steps).to_contain_text("市西街道社工站")
    assert "shixi" not in steps.inner_text() and "studio1" not in steps.inner_text()
    assert axe_problems(resident) == ""
    _no_sideways_scroll(resident)
    _tab_to(resident, "#id_satisfaction_0")
    resident.keyboard.press("Space")  # 满意
    _tab_to(resident, "#id_words")
    resident.keyboard.type("坡道很好用，谢谢")
    _tab_to(resident, "section form button[type=submit]")
    resident.keyboard.press("Enter")
    expect(resident.locator("main")).to_contain_text("您的评价：满意")

    # the request's satisfaction figure now counts it: it is among the figure's records
    street.goto("/reports/drill/appeals.satisfaction_rate/?counted=1")  # the street's rated requests
    expect(street.locator("main table")).to_contain_text(sq.group(0))
    studio_ctx.close()
    street_ctx.close()
    resident.context.close()
