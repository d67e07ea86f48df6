"""Figures people can trust, in a real browser: 云门山街道's administrator opens the dashboard,
clicks a figure and sees exactly the records it counts, opens a rate and sees its denominator
and numerator, downloads the work report as .docx and it states the article's figures; 利民社区's
social worker sees only the community's figures."""

from __future__ import annotations

import re

import docx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .server import App, log_in

pytestmark = pytest.mark.browser
YEAR = "/reports/?from=2026-01-01&to=2026-12-31"  # the demo's year, whatever today is


def test_a_figure_opens_its_records_and_the_report_states_the_article(
    page: Page, context: BrowserContext, app: App
) -> None:
    log_in(page, app, "yunmenshan")
    page.goto(YEAR)
    expect(page.get_by_role("heading", level=1)).to_have_text("云门山街道统计看板")
    expect(page.get_by_role("heading", name="五门一声走访")).to_be_visible()

    page.get_by_role("link", name="查看解决问题的记录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("云门山街道 · 解决问题：385项")
    expect(page.get_by_role("status")).to_have_text("共 385 条记录")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(25)  # the first page of them
    expect(rows.first).to_contain_text("已解决")

    page.go_back()
    page.get_by_role("link", name="查看问题解决率的记录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("云门山街道 · 问题解决率：98.7%")
    expect(page.locator("main")).to_contain_text("比率的分母为 390 条记录，其中 385 条计入分子。")
    page.get_by_role("link", name="只看计入分子的记录").click()
    expect(page.get_by_role("status")).to_have_text("共 385 条记录")

    page.goto(YEAR)
    page.get_by_role("link", name="查看服务次数的记录").click()
    parts = page.locator("main .list-group-item")
    expect(parts).to_have_count(3)
    parts.filter(has_text="社区活动").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("社区活动")

    page.goto(YEAR)
    page.get_by_role("link", name="工作总结").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("云门山街道")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Word")).click()
    text = "\n".join(p.text for p in docx.Document(str(info.value.path())).paragraphs)
    for stated in ("入户走访6330次", "发现问题390个", "解决385个", "解决率98.7%", "群众满意率达99.5%"):
        assert stated in text, stated

    context.clear_cookies()
    log_in(page, app, "limin")
    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("利民社区统计看板")
    options = page.locator("#id_region option")
    for i in range(options.count()):
        assert options.nth(i).inner_text().strip() != "市西街道"
        assert "云门山" not in options.nth(i).inner_text()
