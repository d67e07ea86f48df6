"""Work and income in a real browser against the served demo (issue 18's "Done when"): a social
worker enrols a resident in 市西街道's livestream course, records attendance and a 3-month
follow-up showing flexible employment; a micro-factory shows the families it employs; 杨柳雪镇's
job fair shows its enterprises and positions; in 云门山街道 a grid social worker recommends
a family for a public-welfare post, the street approves it and the person is placed; the person
page shows the work history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .server import CONTEXT_OPTIONS, App, log_in

pytestmark = pytest.mark.browser


def _first_resident(page: Page) -> str:
    page.goto("/registry/persons/")
    return page.locator("table tbody tr th a").first.inner_text().strip()


def _pick(page: Page, name: str) -> None:
    page.locator("#picker-q").fill(name)
    page.get_by_role("button", name="检索").click()
    page.get_by_role("link", name=name, exact=True).first.click()


def test_course_enrolment_attendance_and_follow_up(page: Page, app: App) -> None:
    log_in(page, app, "limin")
    name = _first_resident(page)
    page.goto("/employment/trainings/")
    page.get_by_role("link", name=re.compile("短视频制作与直播带货培训班")).click()
    course_url = page.url.split("?")[0]
    _pick(page, name)
    page.get_by_role("button", name=f"为{name}报名").click()
    page.goto(course_url)
    page.locator("#id_session").fill("1")
    page.get_by_role("button", name="保存出勤").click()
    page.locator("#id_enrolment").select_option(label=name)
    page.locator("#id_month").select_option("3")
    page.locator("#id_outcome").select_option("flexible")
    page.locator("#id_flexible_kind").select_option("livestream")
    page.locator("#id_monthly_income").fill("2000")
    page.get_by_role("button", name="保存回访").click()
    expect(page.get_by_role("row", name=re.compile(name))).to_contain_text("第3个月：灵活就业")


def test_a_micro_factory_shows_the_families_it_employs(page: Page, app: App) -> None:
    log_in(page, app, "shixi")
    page.goto("/employment/microfactories/")
    page.get_by_role("link", name="利民社区助残微工厂").click()
    expect(page.locator("#families")).to_have_text("26 户")
    expect(page.get_by_role("heading", name=re.compile("^务工人员（"))).to_contain_text("26")


def test_a_job_fair_enterprises_and_positions(page: Page, app: App) -> None:
    log_in(page, app, "yangliuxue")
    page.goto("/employment/jobfairs/")
    page.get_by_role("link", name=re.compile("社区微业")).click()
    expect(page.get_by_text("32 家")).to_be_visible()
    expect(page.get_by_text("224 个")).to_be_visible()


def test_a_family_recommended_approved_and_placed(page: Page, app: App, browser: Browser) -> None:
    log_in(page, app, "yms_sg001")
    name = _first_resident(page)
    page.goto("/employment/welfare-posts/")
    page.get_by_role("link", name=re.compile("民政公益岗位")).click()
    post_url = page.url.split("?")[0]
    _pick(page, name)
    page.locator("#id_reason").fill("家庭困难，有劳动能力")
    page.locator("#id_situation").fill("一人务工，收入不稳定")
    page.get_by_role("button", name="提交推荐").click()
    expect(page.get_by_role("heading", name=re.compile(name)).first).to_contain_text("已推荐")

    ctx = browser.new_context(**{**CONTEXT_OPTIONS, "base_url": app.url})
    street = ctx.new_page()
    log_in(street, app, "yunmenshan")
    street.goto(post_url)
    street.get_by_role("button", name=f"审批{name}").click()
    street.get_by_role("button", name=f"{name}上岗").click()
    expect(street.get_by_role("heading", name=re.compile(name)).first).to_contain_text("在岗")
    ctx.close()

    page.goto("/registry/persons/")
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_text("就业增收")).to_be_visible()
    expect(page.get_by_text(re.compile("民政公益岗位"))).to_be_visible()
