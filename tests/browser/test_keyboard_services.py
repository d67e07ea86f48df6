"""Keyboard alone on the service-work forms: a walk-in request is registered with Tab, typing,
arrow keys and Enter; a wrong entry is announced with the field named, and nothing is saved."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .server import App, log_in
from .test_keyboard import assert_focus_visible, focused

pytestmark = pytest.mark.browser


def tab_to(page: Page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == element_id:
            assert_focus_visible(page)
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_register_a_walk_in_request_by_keyboard(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    page.goto("/appeals/new/")
    form = page.locator("main form[method=post]")
    fields = form.evaluate(
        """f => Array.from(f.elements)
                 .filter(e => e.type !== 'hidden' && !e.disabled && e.tagName !== 'FIELDSET')
                 .map(e => e.id || e.tagName)"""
    )
    assert fields[:3] == ["id_studio", "id_region", "id_channel"] and fields[-2] == "id_content", fields

    # the content is missing: the error names the field and nothing is saved
    tab_to(page, "id_studio")
    page.keyboard.press("ArrowDown")  # the first studio of 利民社区
    tab_to(page, "id_requester_name")
    page.keyboard.type("王大爷")
    tab_to(page, "id_content")
    page.keyboard.press("Tab")  # the submit button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("诉求内容")
    expect(page.locator("#id_content")).to_have_attribute("aria-invalid", "true")

    tab_to(page, "id_content")
    page.keyboard.type("家门口台阶太高，轮椅出不去")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/appeals/\d+/(#main)?$"))
    expect(page.locator(".messages")).to_contain_text("SQ")
    expect(page.locator("main")).to_contain_text("期限")
