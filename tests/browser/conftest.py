"""Fixtures of the browser tests: the served demo app (one per session), Chromium, and a fresh
browser context per test. A failing test leaves a screenshot in ``test-results/``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from .server import CONTEXT_OPTIONS, ROOT, App, demo_app, launch_chromium

RESULTS = ROOT / "test-results"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the item (``item.rep_call``) for the screenshot finalizer."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """A fresh SQLite database with the demo streets, served by ``manage.py runserver``.

    ``WUSHE_BROWSER_URL=http://127.0.0.1:8000`` runs the tests against a server that is already
    up with the demo logins instead (quicker while writing tests; the tests add records there)."""
    if url := os.environ.get("WUSHE_BROWSER_URL"):
        yield App(url=url.rstrip("/"), data_dir=Path(), env={}, log=Path())
        return
    with demo_app(tmp_path_factory.mktemp("wushe-data")) as served:
        yield served


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = launch_chromium(playwright_driver)
    yield chromium
    chromium.close()


@pytest.fixture
def context_options() -> dict[str, Any]:
    """Override in a test module to change the viewport, the colour scheme…"""
    return {}


@pytest.fixture
def context(browser: Browser, app: App, context_options: dict[str, Any]) -> Iterator[BrowserContext]:
    ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url, **context_options})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        path: Path = RESULTS / f"{name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            print(f"\nscreenshot of the failure: {path}")
        except Exception as exc:  # noqa: BLE001 — the test's own failure is what matters
            print(f"\nno screenshot of the failure: {exc}")
