"""数据大屏 on a 1920×1080 wall: the key figures and the charts on one screen without scrolling,
in type large enough to read across a room, refreshing its figures from /api/v1/stats without
reloading the page (and reloading it when the day changes)."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from .server import App, log_in

pytestmark = pytest.mark.browser

WALL = {"width": 1920, "height": 1080}
YEAR = "/reports/screen/?region=370781002000&from=2026-01-01&to=2026-12-31"  # 云门山街道's demo year


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {"viewport": WALL}


LAYOUT = """() => {
    const inside = e => { const r = e.getBoundingClientRect();
        return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; };
    const px = (e, p) => parseFloat(getComputedStyle(e)[p]);
    return {
        height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
        figures: [...document.querySelectorAll(".wall-figure")].map(e => ({
            label: e.querySelector(".wall-figure-label").innerText, inside: inside(e),
            value: px(e.querySelector(".wall-figure-value"), "fontSize"),
            labelSize: px(e.querySelector(".wall-figure-label"), "fontSize")})),
        charts: [...document.querySelectorAll(".wall-chart")].map(e => ({
            title: e.querySelector("h2").innerText, inside: inside(e),
            canvas: e.querySelector(".chart canvas") ? e.querySelector(".chart").getBoundingClientRect().height : 0})),
    };
}"""


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize(("user", "url"), [("yunmenshan", YEAR), ("shixi", "/reports/screen/")])
def test_the_wall_shows_everything_on_one_screen(
    user: str, url: str, lang: str, context: BrowserContext, page: Page, app: App
) -> None:
    context.add_cookies([{"name": "django_language", "value": lang, "url": app.url}])
    log_in(page, app, user)
    page.goto(url)
    expect(page.locator(".wall-chart .chart canvas").first).to_be_visible()
    got = page.evaluate(LAYOUT)
    assert got["height"] <= WALL["height"] and got["width"] <= WALL["width"], (got["width"], got["height"])
    assert len(got["figures"]) == 12, [f["label"] for f in got["figures"]]
    for figure in got["figures"]:
        assert figure["inside"], figure
        assert figure["value"] >= 56 and figure["labelSize"] >= 20, figure  # read across a room
    assert len(got["charts"]) >= 5, got["charts"]
    for chart in got["charts"]:
        assert chart["inside"] and chart["canvas"] >= 240, chart
    expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()  # the wall, not the app


def _stats(route: Route, seen: list[str], metrics: dict[str, Any]) -> None:
    seen.append(route.request.url)
    body = route.fetch().json()
    body["metrics"].update(metrics)
    route.fulfill(status=200, content_type="application/json", body=json.dumps(body))


def test_the_wall_refreshes_its_figures_without_reloading(page: Page, app: App) -> None:
    log_in(page, app, "yunmenshan")
    page.clock.install(time=datetime.datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    seen: list[str] = []
    fresh = {"persons": 123456, "satisfaction_rate": 87.25, "needs.status.met": 321}
    page.route("**/api/v1/stats?*", lambda route: _stats(route, seen, fresh))
    page.goto(YEAR)
    refresh = int(page.locator("[data-stats-url]").get_attribute("data-refresh-seconds") or 0)
    assert 10 <= refresh <= 300
    page.evaluate("() => { window.wusheLoaded = 'once'; }")  # gone if the page reloads
    persons = page.locator(".wall-figure [data-metric-value='persons']")
    expect(persons).to_have_text("530")

    page.clock.fast_forward(refresh * 1000 + 1000)
    expect(persons).to_have_text("123456")
    expect(page.locator(".wall-figure [data-metric-value='satisfaction_rate']")).to_have_text("87.3%")
    expect(page.locator("[data-updated]")).to_contain_text("10:0")
    assert page.evaluate("() => window.wusheLoaded") == "once"
    query = parse_qs(urlparse(seen[0]).query)
    assert query == {"region": ["370781002000"], "from": ["2026-01-01"], "to": ["2026-12-31"]}
    status = page.evaluate(
        """() => { const el = document.querySelector("[data-chart='chart-needs-status']");
                   const data = echarts.getInstanceByDom(el).getOption().series[0].data;
                   return data.map(d => d.value); }"""
    )
    assert 321 in status, status  # the chart's segment too

    page.unroute("**/api/v1/stats?*")
    page.route("**/api/v1/stats?*", lambda route: route.fulfill(status=502, body="down"))
    page.clock.fast_forward(refresh * 1000 + 1000)
    expect(page.locator("[data-updated]")).to_contain_text("10:0")  # says since when it shows
    expect(persons).to_have_text("123456")  # the last figures stay

    with page.expect_navigation():  # a new day: the page loads again (a period to today moves on)
        page.clock.fast_forward("24:00:00")
    expect(persons).to_have_text("530")
