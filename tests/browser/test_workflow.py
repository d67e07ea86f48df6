"""What a social worker of 利民社区 does in a day, in a real browser against the served app with
the demo streets: log in, find a resident by pinyin initials, open the record, register a
person with a certificate and see the four-colour ledger move, export the ledger and read the
workbook, switch to English, log out."""

from __future__ import annotations

import datetime
import random
import re

import pytest
from playwright.sync_api import Page, expect
from pypinyin import Style, pinyin
from python_calamine import CalamineWorkbook

from wushe.core.idgen import make_certificate_number, make_id_number

from .server import DEMO_PASSWORD, App, log_in

pytestmark = pytest.mark.browser

MASKED_ID = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
COLOUR_WORDS = {"red": "红色", "blue": "蓝色", "green": "绿色", "yellow": "黄色"}


def initials(name: str) -> str:
    """祝长连 → zcl (pypinyin's usual reading, not the app's own code)."""
    return "".join(p[0] for p in pinyin(name, style=Style.FIRST_LETTER)).lower()


def number(text: str) -> int:
    """The leading figure of a text such as ``1,234 查看红色名单``."""
    match = re.match(r"\s*([\d,]+)", text)
    assert match, f"no figure in {text!r}"
    return int(match.group(1).replace(",", ""))


def ledger_counts(page: Page) -> dict[str, int]:
    """The four colour cards of the ledger page, by colour."""
    page.goto("/registry/ledger/")
    return {
        colour: number(page.locator(f".ledger-card-{colour} .figure-value a").inner_text())
        for colour in COLOUR_WORDS
    }


def test_log_in_find_a_resident_by_pinyin_initials_and_open_the_record(page: Page, app: App) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名").fill("limin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{app.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("今日待办")
    expect(page.get_by_role("navigation", name="主导航")).to_contain_text("利民社区社工")

    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("button", name="居民", exact=True).click()
    nav.get_by_role("link", name="居民名单", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("居民")
    rows = page.locator("#person-results tbody tr")
    expect(rows.first).to_be_visible()
    everyone = number(page.locator("#person-results-heading").inner_text().split(" ", 1)[1])
    # limin sees 利民社区 only: every row is in it
    communities = rows.locator("td:nth-child(5)").all_inner_texts()
    assert communities and all(c.startswith("利民社区") for c in communities), communities
    name = rows.nth(2).locator("th a").inner_text().strip()
    key = initials(name)
    assert re.fullmatch(r"[a-z]{2,4}", key), (name, key)

    search = page.get_by_role("searchbox", name="检索")
    search.fill(key)
    search.press("Enter")  # htmx posts the search and swaps the results in
    expect(page).to_have_url(re.compile(rf"/registry/persons/\?(.*&)?q={key}(&|$)"))
    heading = page.locator("#person-results-heading")
    expect(heading).to_have_text(re.compile(r"(找到|共) \d+ 人"))
    expect(heading).to_be_focused()  # screen readers hear the new results
    found = page.locator("#person-results tbody th a")
    expect(found.filter(has_text=re.compile(rf"^{name}$"))).to_have_count(1)
    assert number(heading.inner_text().split(" ", 1)[1]) < everyone, "the search did not narrow the list"

    found.filter(has_text=re.compile(rf"^{name}$")).click()
    expect(page).to_have_url(re.compile(r"/registry/persons/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_role("navigation", name="当前位置")).to_contain_text(name)
    id_shown = page.locator("#identifiers dd").first.inner_text().strip()
    assert MASKED_ID.match(id_shown), f"the ID number is not masked: {id_shown}"


def test_register_a_person_with_a_certificate_and_the_red_count_goes_up(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    before = ledger_counts(page)

    page.goto("/registry/persons/")
    page.get_by_role("link", name="登记居民").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记居民")
    # 370102 (济南 历下区) is no demo address code; a random birth date and sequence let the test
    # run again against a long-lived server (WUSHE_BROWSER_URL)
    rng = random.Random()  # noqa: S311
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(18_000))
    id_number = make_id_number("370102", birth, rng.randrange(1000))
    certificate = make_certificate_number(id_number, 6, 2)  # 精神 二级 → red
    page.locator("#id_name").fill("甄测红")  # (the household finder is labelled 姓名 too)
    page.get_by_label("身份证号码").fill(id_number)
    page.get_by_label("所属社区/网格").select_option(label="利民社区 · 利民社区第2网格")
    page.get_by_label("联系电话", exact=True).fill("13905431234")
    page.get_by_label("住址").fill("滨州市滨城区利民社区8号楼2单元301")
    page.get_by_label("残疾人证号").fill(certificate)
    page.get_by_label("发证日期").fill("2024-03-01")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/registry/persons/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("甄测红")
    # a certificate recorded with no consent or statutory basis yet: the worker is told so
    expect(page.locator(".messages")).to_contain_text("尚无本人同意或法定依据记录")
    expect(page.get_by_role("heading", level=1)).to_contain_text("甄测红")
    cert = page.locator("#section-certificate")
    expect(cert.locator(".ledger-badge").first).to_have_text("红色")
    expect(cert).to_contain_text("精神 · 二级")

    after = ledger_counts(page)
    assert after == {**before, "red": before["red"] + 1}, (before, after)


def test_export_the_ledger_and_read_the_workbook(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    counts = ledger_counts(page)
    total = number(page.locator("#colour-heading").inner_text().split("合计")[1])
    assert total == sum(counts.values())

    with page.expect_download() as info:
        page.get_by_role("button", name="导出Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    assert "利民社区" in download.suggested_filename and "四色台账" in download.suggested_filename
    path = download.path()

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    title, header, *rows = sheet
    assert "利民社区" in str(title[0]) and "四色台账" in str(title[0])
    assert [str(h) for h in header] == [
        "社区", "网格", "姓名", "性别", "出生日期", "身份证号码", "残疾类别", "残疾等级", "台账颜色", "住址",
    ]  # fmt: skip
    assert len(rows) == total
    assert {str(r[0]) for r in rows} == {"利民社区"}
    assert all(MASKED_ID.match(str(r[5])) for r in rows), "the export shows full ID numbers unasked"
    by_colour = {colour: sum(1 for r in rows if r[8] == word) for colour, word in COLOUR_WORDS.items()}
    assert by_colour == counts


def test_switch_to_english_and_log_out(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    page.goto("/registry/ledger/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/registry/ledger/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Four-colour ledger")
    nav = page.get_by_role("navigation", name=re.compile("navigation", re.I))
    expect(nav.get_by_role("button", name="Residents", exact=True)).to_be_visible()
    expect(page.locator(".ledger-card-red .ledger-badge")).to_have_text("Red")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto("/registry/persons/")  # the session is gone
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/registry/persons/"))
