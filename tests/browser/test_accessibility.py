"""Accessibility (WCAG 2.1 AA): axe-core on every main page in both languages, the ledger colours
carried by words as well, and the html ``lang`` attribute right for the language shown.

Any violation of impact ``serious`` or ``critical`` fails; the message lists the rule, the help
address and the offending nodes. Keyboard use is in ``test_keyboard.py``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .server import CONTEXT_OPTIONS, PHONE_VIEWPORT, App, log_in

pytestmark = pytest.mark.browser

AXE = Axe()
FAILING_IMPACTS = {"serious", "critical"}
LANGUAGES = {"zh-hans": "zh-Hans", "en": "en"}  # the language chosen → <html lang>
COLOUR_WORDS = {
    "zh-hans": {"red": "红色", "blue": "蓝色", "green": "绿色", "yellow": "黄色"},
    "en": {"red": "Red", "blue": "Blue", "green": "Green", "yellow": "Yellow"},
}
PAGES = [
    "login",
    "home",
    "person_list",
    "person_detail",
    "person_create",
    "person_create_errors",
    "household",
    "household_members",
    "household_create",
    "ledger",
    "imports",
    "dashboard",
    "screen",
    "drill",
    "work_report",
    # service work (issue 6)
    "case_list",
    "case_detail",
    "case_create",
    "activity_detail",
    "appeal_list",
    "appeal_detail",
    "appeal_create",
    "volunteer_list",
    "volunteer_detail",
    "proof",
    "visits",
    "visit_form",
    "visit_form_errors",
    "coverage",
    "needs",
    "need_detail",
    "resources",
    "responsibilities",
    "projects",
]


def axe_problems(page: Page) -> str:
    """The serious and critical axe violations of the page, described; empty when there is none."""
    violations = AXE.run(page).response["violations"]
    lines = []
    for v in violations:
        if v.get("impact") not in FAILING_IMPACTS:
            continue
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = " | ".join(node.get("failureSummary", "").splitlines())
            lines.append(f"    {target}\n      {node['html'][:240]}\n      {summary[:400]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more nodes")
    return "\n".join(lines)


def _first_need(page: Page) -> str | None:
    page.goto("/needs/")
    link = page.locator("main table tbody th a").first
    return link.get_attribute("href") if link.count() else None


@pytest.fixture(scope="module")
def site(browser: Browser, app: App) -> Iterator[dict[str, Any]]:
    """limin's signed-in cookies and the addresses of one person and household of 利民社区."""
    ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
    page = ctx.new_page()
    log_in(page, app, "limin")
    page.goto("/registry/persons/")
    row = page.locator("#person-results tbody tr").filter(has=page.locator(".ledger-badge")).first
    person = row.locator("th a").get_attribute("href")
    page.goto(str(person))
    # the person's own household (the menu also links the household list, /registry/households/)
    links = page.locator("main a[href*='/registry/households/']").all()
    household = next(
        (h for h in (a.get_attribute("href") for a in links) if h and re.search(r"/households/\d+/$", h)),
        None,
    )
    imports = page.get_by_role("navigation", name="主导航").locator("a[href$='/imports/']")
    urls = {
        "login": "/accounts/login/",
        "home": "/",
        "person_list": "/registry/persons/",
        "person_detail": person,
        "person_create": "/registry/persons/new/",
        "person_create_errors": "/registry/persons/new/",
        "household": household,
        "household_members": f"{household}members/" if household else None,
        "household_create": "/registry/households/new/",
        "ledger": "/registry/ledger/",
        "imports": imports.first.get_attribute("href") if imports.count() else None,
        "dashboard": "/reports/",
        "screen": "/reports/screen/",
        "drill": "/reports/drill/ledger.red/",
        "work_report": "/reports/work-report/",
        "case_list": "/services/cases/",
        "case_create": "/services/cases/new/",
        "appeal_list": "/appeals/",
        "appeal_create": "/appeals/new/",
        "volunteer_list": "/volunteers/",
        "visits": "/visits/",
        "visit_form": f"/visits/new/?household={str(household).rstrip('/').rsplit('/', 1)[-1]}",
        "visit_form_errors": f"/visits/new/?household={str(household).rstrip('/').rsplit('/', 1)[-1]}",
        "coverage": "/visits/coverage/",
        "needs": "/needs/",
        "need_detail": _first_need(page),
        "resources": "/partners/resources/",
        "responsibilities": "/partners/responsibilities/",
        "projects": "/projects/",
    }
    for name, listing, link in (
        ("case_detail", "/services/cases/", "main table tbody a[href*='/services/cases/']"),
        ("activity_detail", "/services/activities/", "main table tbody a[href*='/services/activities/']"),
        ("appeal_detail", "/appeals/?overdue=on", "main table tbody a[href*='/appeals/']"),
        ("volunteer_detail", "/volunteers/teams/", "main table tbody a[href*='/volunteers/teams/']"),
    ):
        page.goto(listing)
        found = page.locator(link)
        urls[name] = found.first.get_attribute("href") if found.count() else None
    urls["proof"] = None
    if urls["volunteer_detail"]:  # a team's page: its first volunteer (the demo gives them a proof)
        page.goto(str(urls["volunteer_detail"]))
        volunteer = page.locator("main table tbody a[href^='/volunteers/'][href$='/']").filter(
            has_not_text="队"
        )
        urls["volunteer_detail"] = volunteer.first.get_attribute("href") if volunteer.count() else None
        if urls["volunteer_detail"]:
            page.goto(str(urls["volunteer_detail"]))
            proof = page.locator("main a[href*='/volunteers/proofs/']")
            urls["proof"] = proof.first.get_attribute("href") if proof.count() else None
    yield {"cookies": ctx.cookies(), "urls": urls}
    ctx.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violation(
    name: str, lang: str, context: BrowserContext, page: Page, app: App, site: dict[str, Any]
) -> None:
    url = site["urls"][name]
    if url is None:
        pytest.skip(f"no {name} page in this build")
    language: Any = {"name": "django_language", "value": lang, "url": app.url}
    context.add_cookies([language] if name == "login" else [language, *site["cookies"]])
    page.goto(url)
    if name == "visit_form_errors":
        page.get_by_label("发放宣传资料（份）" if lang == "zh-hans" else "Leaflets handed over").fill("-1")
        with page.expect_navigation():
            page.locator("main form[method=post] button.btn-primary[type=submit]").click()
        expect(page.get_by_role("alert")).to_be_visible()
    if name == "person_create_errors":
        with page.expect_navigation():
            page.locator(
                "main form[method=post] button.btn-primary[type=submit]"
            ).click()  # empty: every error
        expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", LANGUAGES[lang])
    problems = axe_problems(page)
    assert not problems, f"axe found on {name} ({lang}, {page.url}):\n{problems}"


@pytest.mark.parametrize("context_options", [{"viewport": PHONE_VIEWPORT}])
@pytest.mark.parametrize(
    "name",
    [
        "home",
        "person_list",
        "person_detail",
        "household",
        "ledger",
        "dashboard",
        "drill",
        "case_list",
        "appeal_detail",
        "volunteer_list",
        "visit_form",
        "coverage",
        "needs",
    ],
)
def test_no_serious_axe_violation_on_a_phone(
    name: str, context: BrowserContext, page: Page, site: dict[str, Any]
) -> None:
    """Tables scroll sideways at 390 px: what scrolls must be reachable by keyboard, and so on."""
    context.add_cookies(site["cookies"])
    if site["urls"][name] is None:
        pytest.skip(f"no {name} page in this build")
    page.goto(site["urls"][name])
    problems = axe_problems(page)
    assert not problems, f"axe found on {name} at 390 px wide ({page.url}):\n{problems}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ["person_list", "ledger"])
def test_ledger_colours_are_named_in_words(
    name: str, lang: str, context: BrowserContext, page: Page, app: App, site: dict[str, Any]
) -> None:
    """No information by colour alone: every colour badge says its colour, and says it right."""
    context.add_cookies([*site["cookies"], {"name": "django_language", "value": lang, "url": app.url}])
    page.goto(site["urls"][name])
    badges = page.locator(".ledger-badge")
    expect(badges.first).to_be_visible()
    seen = set()
    words = COLOUR_WORDS[lang]
    for badge in badges.all():
        classes = (badge.get_attribute("class") or "").split()
        colours = [c.removeprefix("ledger-") for c in classes if c.removeprefix("ledger-") in words]
        assert len(colours) == 1, classes
        html = badge.evaluate("e => e.outerHTML")
        assert badge.inner_text().strip() == words[colours[0]], f"the badge does not say its colour: {html}"
        seen.add(colours[0])
    if name == "ledger":
        assert seen == set(words), seen
        for colour, word in words.items():
            expect(page.locator(f".ledger-card-{colour} .ledger-badge")).to_have_text(word)
    # the coloured dot is decoration: hidden from screen readers, which read the word
    for dot in page.locator(".ledger-dot").all():
        assert dot.get_attribute("aria-hidden") == "true"
