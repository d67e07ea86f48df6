"""Consent in a real browser against the served demo: a community worker opens a resident from
the report of sensitive data held without consent, records the resident's consent on the person
page, withdraws it, and the page shows each state; the pages are axe clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .server import App, log_in
from .test_accessibility import axe_problems

pytestmark = pytest.mark.browser


def test_record_a_consent_and_withdraw_it(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    page.goto("/consents/?kind=disability")
    expect(page.get_by_role("heading", level=1)).to_contain_text("无同意或法定依据的敏感信息")
    assert not (problems := axe_problems(page)), problems
    name = page.locator("table tbody th a").first.inner_text()
    page.locator("table tbody th a").first.click()
    section = page.locator("#section-consent")
    expect(section.locator("tr", has_text="残疾信息")).to_contain_text("无同意或依据")

    section.get_by_role("link", name="登记同意").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    assert not (problems := axe_problems(page)), problems
    page.get_by_label("残疾信息").check()
    page.get_by_label("健康信息").check()
    page.get_by_label("处理目的类别").select_option(label="助残服务与补贴")
    page.locator("#id_purpose").fill("浏览器测试：两项补贴与康复服务")
    page.get_by_label("工作人员在场，本人在手机上确认").check()
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert").or_(page.locator(".alert")).first).to_contain_text("已登记")
    section = page.locator("#section-consent")
    expect(section.locator("tr", has_text="残疾信息")).to_contain_text("已同意")
    expect(section).to_contain_text("浏览器测试：两项补贴与康复服务")
    assert not (problems := axe_problems(page)), problems

    section.get_by_role("link", name="撤回同意").first.click()
    assert not (problems := axe_problems(page)), problems
    page.get_by_label("口头表示，工作人员记录").check()
    page.locator("#id_stops").fill("浏览器测试：停止用于助残服务")
    page.get_by_role("button", name="确认撤回").click()

    section = page.locator("#section-consent")
    expect(section.locator("tr", has_text="残疾信息")).to_contain_text("已撤回")
    expect(section).to_contain_text("浏览器测试：停止用于助残服务")
    expect(section.get_by_role("link", name="撤回同意")).to_have_count(0)
    assert not (problems := axe_problems(page)), problems
