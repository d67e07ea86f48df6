"""Keyboard alone: the login form and the person form are filled and sent with Tab, typing and
Enter; every field is reached by Tab in the order it is shown; errors are announced; whatever
has the keyboard focus shows it (WCAG 2.1.1, 2.4.3, 2.4.7, 3.3.1)."""

from __future__ import annotations

import datetime
import random
import re

import pytest
from playwright.sync_api import Page, expect

from wushe.core.idgen import make_id_number

from .server import DEMO_PASSWORD, App, log_in

pytestmark = pytest.mark.browser

FOCUSED = "() => { const e = document.activeElement; return e && e !== document.body ? (e.id || e.tagName + ':' + e.textContent.trim()) : ''; }"


def focused(page: Page) -> str:
    """The id (or tag and text) of the element that has the focus; '' for none."""
    return str(page.evaluate(FOCUSED))


def assert_focus_visible(page: Page) -> None:
    """The focused element draws an outline of at least 2 px (app.css :focus-visible), not only
    Bootstrap's faint glow."""
    style = page.evaluate(
        """() => {
            const e = document.activeElement;
            const s = getComputedStyle(e);
            return {what: e.outerHTML.slice(0, 120), outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth), colour: s.outlineColor};
        }"""
    )
    drawn = style["outline"] not in ("none", "hidden") and style["width"] >= 2
    assert drawn, f"no visible focus on {style['what']}: {style}"


def test_log_in_by_keyboard_alone(page: Page, app: App) -> None:
    page.goto("/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()  # autofocus: type at once
    page.keyboard.type("limin")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    submit = page.get_by_role("button", name="登录", exact=True)
    expect(submit).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{app.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("今日待办")


def test_skip_link_and_a_visible_focus_on_every_stop_of_the_page(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    page.goto("/registry/ledger/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when it has the focus
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # the next stops are inside the main content, each with a visible focus
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
        assert_focus_visible(page)
    # and back up to the navigation from the top of the page
    page.goto("/registry/ledger/")
    for _ in range(2):
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="五社联动服务平台")).to_be_focused()
    assert_focus_visible(page)


def test_person_form_by_keyboard_alone(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    page.goto("/registry/persons/new/")
    form = page.locator("main form[method=post]")
    # every control of the form, in the order it is shown
    # (a group of radio buttons is one Tab stop: its checked button, or its first)
    expected = form.evaluate(
        """f => Array.from(f.elements)
                 .filter(e => e.type !== 'hidden' && e.tagName !== 'FIELDSET' && !e.disabled && e.tabIndex >= 0)
                 .filter(e => {
                     if (e.type !== 'radio') { return true; }
                     const group = Array.from(f.elements).filter(o => o.type === 'radio' && o.name === e.name);
                     const checked = group.find(o => o.checked);
                     return checked ? e === checked : e === group[0];
                 })
                 .map(e => e.id || e.tagName + ':' + e.textContent.trim())"""
    )
    assert expected[0] == "id_name" and expected[-1].startswith("BUTTON:"), expected

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    order: list[str] = []
    for _ in range(120):  # bounded: a date input takes three presses (year, month, day)
        page.keyboard.press("Tab")
        if not form.evaluate("f => f.contains(document.activeElement)"):
            assert not order, f"the focus left the form after {order}"
            continue  # the breadcrumb before the form
        assert_focus_visible(page)
        here = focused(page)
        if not order or order[-1] != here:
            order.append(here)
        if here == expected[-1]:
            break
    assert order == expected, "Tab does not reach every field in order"

    # submit the empty form with Enter on the button: the errors are announced
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("姓名")
    expect(summary).to_contain_text("身份证号码")
    expect(summary).to_be_focused()  # read out first (app.js), links lead to the fields
    for field in ("id_name", "id_id_number", "id_region"):
        control = page.locator(f"#{field}")
        expect(control).to_have_attribute("aria-invalid", "true")
        described = (control.get_attribute("aria-describedby") or "").split()
        errors = [i for i in described if page.locator(f"#{i}.invalid-feedback").count()]
        assert errors, f"#{field} is not described by its error ({described})"
        expect(page.locator(f"#{errors[0]}")).not_to_be_empty()

    # fix it, still by keyboard: from the summary into the form, type, choose, Enter
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page) == "id_name":
            break
    expect(page.locator("#id_name")).to_be_focused()
    rng = random.Random()  # noqa: S311
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(18_000))
    page.keyboard.type("甄键盘")
    page.keyboard.press("Tab")
    page.keyboard.type(make_id_number("370102", birth, rng.randrange(1000)))
    page.keyboard.press("Tab")
    expect(page.locator("#id_region")).to_be_focused()
    page.keyboard.press("ArrowDown")  # the first choice: 利民社区 itself
    expect(page.locator("#id_region")).not_to_have_value("")
    page.keyboard.press("Tab")
    expect(page.locator("#id_phone")).to_be_focused()
    page.keyboard.type("13905439876")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # implicit submission from a text field
    # (the skip link's #main stays in the address through the POST and its redirect)
    expect(page).to_have_url(re.compile(r"/registry/persons/\d+/(#main)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("甄键盘")
