"""Screenshots of the main pages for the README: ``python -m tests.browser.screenshots``
(``make screenshots``). Loads the demo streets into a fresh database, serves the app, and saves
``docs/screenshots/*.png`` as the social worker ``limin`` (利民社区) sees them."""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from .server import CONTEXT_OPTIONS, PHONE_VIEWPORT, ROOT, App, demo_app, launch_chromium, log_in

OUT = ROOT / "docs" / "screenshots"


def _shoot(page: Page, out: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    # charts drawn (app.js marks them; with reduced motion ECharts draws without animating)
    page.wait_for_function("!document.querySelector('[data-chart]:not([data-chart-ready])')")
    page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring
    path = out / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    print(f"  {path}")


def take(app: App, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            options = {**CONTEXT_OPTIONS, "reduced_motion": "reduce"}
            context = browser.new_context(**options)
            page = context.new_page()
            page.goto(f"{app.url}/accounts/login/")
            _shoot(page, out, "login")
            log_in(page, app, "limin")
            _shoot(page, out, "home")
            page.goto(f"{app.url}/registry/persons/")
            _shoot(page, out, "person-list")
            # a resident with a certificate: the detail page then shows the ledger colour
            row = page.locator("#person-results tbody tr").filter(has=page.locator(".ledger-badge")).first
            row.locator("a").first.click()
            page.wait_for_url("**/registry/persons/*/")
            _shoot(page, out, "person-detail")
            page.goto(f"{app.url}/registry/ledger/")
            _shoot(page, out, "ledger")
            context.close()

            phone = browser.new_context(**{**options, "viewport": PHONE_VIEWPORT})
            page = phone.new_page()
            log_in(page, app, "limin")
            page.goto(f"{app.url}/registry/persons/")
            _shoot(page, out, "person-list-phone")
            phone.close()
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="where to save the PNG files")
    parser.add_argument("--url", help="an already running wushe with the demo logins (skips the set-up)")
    args = parser.parse_args()
    if args.url:
        take(App(url=args.url.rstrip("/"), data_dir=Path(), env={}, log=Path()), args.out)
        return
    print("loading the demo streets into a fresh database (about a minute)…")
    with demo_app() as app:
        take(app, args.out)


if __name__ == "__main__":
    main()
