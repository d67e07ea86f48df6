"""政策找人 in a real browser against the served demo: 云门山街道's administrator opens a policy,
reads the first person on its 应享未享 list with the facts that made them qualify, records the
policy put into effect for them, and the list is one shorter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .server import App, log_in

pytestmark = pytest.mark.browser

POLICY = "困难群众参加城乡居民医保资助"


def _unreached(page: Page) -> int:
    text = page.locator("#missing-title").inner_text()
    found = re.search(r"(\d+)", text)
    assert found, text
    return int(found.group(1))


def test_unreached_person_recorded_leaves_the_list(page: Page, app: App) -> None:
    log_in(page, app, "yunmenshan")
    page.goto("/policies/")
    page.get_by_role("link", name=POLICY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(POLICY)
    before = _unreached(page)
    assert before > 0
    row = page.locator("section[aria-labelledby=missing-title] tbody tr").first
    expect(row).to_contain_text("person.tags")
    row.get_by_role("link", name=re.compile("登记落实")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("登记政策落实")
    page.locator("#id_benefit").fill("浏览器测试：资助参保")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(POLICY)
    assert _unreached(page) == before - 1
    page.goto("/policies/applications/")
    expect(page.locator("#list-results")).to_contain_text("浏览器测试：资助参保")
