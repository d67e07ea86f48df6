"""The pages, walked as the issue's "Done when": a social worker enrols residents and records
attendance and a 3-month follow-up; a micro-factory with its investment and workers shows the
families it employs; a job fair's positions and hires; a family recommended, approved, placed; the
person and household pages show the work history; the list of residents without work; scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.fixtures import login
from wushe.core.checks import today
from wushe.employment.models import Course, FairEnterprise, JobFair, MicroFactory, Recommendation, WelfarePost

from .conftest import ENTERPRISE_CODE, working_age_person

pytestmark = pytest.mark.django_db

AGO = today() - datetime.timedelta(days=120)


def ok(r: Any, code: int = 302) -> Any:
    assert r.status_code == code, (
        r.context and [f.errors for f in r.context.get("form", None) and [r.context["form"]] or []]
    ) or r.content.decode()[-3000:]
    return r


def test_a_course_enrolment_attendance_and_follow_up_through_the_pages(ew: Any) -> None:
    staff = login(ew.staff)
    ok(
        staff.post(
            "/employment/trainings/new/",
            {
                "region": ew.tree.community_a.pk,
                "title": "直播带货培训班",
                "kind": "livestream",
                "start_on": AGO.isoformat(),
                "end_on": (AGO + datetime.timedelta(days=5)).isoformat(),
                "sessions": 3,
                "organizer": ew.org.pk,
            },
        )
    )
    course = Course.objects.get()
    worker = login(ew.worker)
    page = worker.get(f"/employment/trainings/{course.pk}/?q={ew.people[0].name}")
    assert ew.people[0].name in page.content.decode()
    for p in ew.people[:2]:
        ok(worker.post(f"/employment/trainings/{course.pk}/enrol/", {"person": p.pk}))
    enrolments = list(course.enrolments.order_by("id"))
    ok(
        worker.post(
            f"/employment/trainings/{course.pk}/attendance/", {"session": 1, "present": [enrolments[0].pk]}
        )
    )
    bad = worker.post(
        f"/employment/trainings/{course.pk}/follow-up/",
        {
            "enrolment": enrolments[0].pk,
            "month": 3,
            "followed_on": today().isoformat(),
            "outcome": "flexible",
        },
    )
    assert bad.status_code == 400 and "灵活就业须说明方式" in bad.content.decode()
    ok(
        worker.post(
            f"/employment/trainings/{course.pk}/follow-up/",
            {
                "enrolment": enrolments[0].pk,
                "month": 3,
                "followed_on": today().isoformat(),
                "outcome": "flexible",
                "flexible_kind": "livestream",
                "monthly_income": "2400",
            },
        )
    )
    html = worker.get(f"/employment/trainings/{course.pk}/").content.decode()
    assert "第3个月：灵活就业" in html and "直播带货" in html
    person = worker.get(f"/registry/persons/{ew.people[0].pk}/").content.decode()
    assert "就业增收" in person and "直播带货培训班" in person and "月收入2400.00元" in person
    assert ok(worker.get("/employment/trainings/"), 200).content.decode().count("直播带货培训班") == 1
    # a worker of another community does not see 甲社区's course
    assert login(ew.worker_b).get(f"/employment/trainings/{course.pk}/").status_code == 404


def test_a_micro_factory_shows_the_families_it_employs(ew: Any) -> None:
    staff = login(ew.staff)
    ok(
        staff.post(
            "/employment/microfactories/new/",
            {
                "region": ew.tree.community_a.pk,
                "name": "利民微工厂",
                "operator": ew.org.pk,
                "opened_on": AGO.isoformat(),
                "products": "手工串珠",
            },
        )
    )
    factory = MicroFactory.objects.get()
    bad = staff.post(
        f"/employment/microfactories/{factory.pk}/investments/",
        {"amount": "60000", "source": "government", "invested_on": AGO.isoformat()},
    )
    assert bad.status_code == 400 and "政府资金须填写拨款部门" in bad.content.decode()
    ok(
        staff.post(
            f"/employment/microfactories/{factory.pk}/investments/",
            {
                "amount": "60000",
                "source": "government",
                "invested_on": AGO.isoformat(),
                "department": "滨城区残联",
            },
        )
    )
    worker = login(ew.worker)
    for p in ew.people[:3]:
        ok(worker.post(f"/employment/microfactories/{factory.pk}/workers/", {"person": p.pk, "work": "计件"}))
    html = worker.get(f"/employment/microfactories/{factory.pk}/").content.decode()
    assert "3 户" in html and "60000" in html.replace(",", "")
    household = worker.get(f"/registry/households/{ew.households[0].pk}/").content.decode()
    assert "利民微工厂" in household and "1人在岗" in household


def test_a_job_fair_positions_and_hires(ew: Any) -> None:
    staff = login(ew.staff)
    ok(
        staff.post(
            "/employment/jobfairs/new/",
            {
                "region": ew.tree.community_a.pk,
                "title": "社区微业招聘会",
                "held_on": AGO.isoformat(),
                "place": "社区广场",
                "organizer": "社区居委会",
                "visitors": 200,
            },
        )
    )
    fair = JobFair.objects.get()
    bad = staff.post(f"/employment/jobfairs/{fair.pk}/enterprises/", {"name": "某公司", "credit_code": "123"})
    assert bad.status_code == 400 and "统一社会信用代码应为18位" in bad.content.decode()
    ok(
        staff.post(
            f"/employment/jobfairs/{fair.pk}/enterprises/",
            {"name": "滨州巧手科技", "credit_code": ENTERPRISE_CODE},
        )
    )
    ent = FairEnterprise.objects.get()
    ok(
        staff.post(
            f"/employment/jobfairs/{fair.pk}/positions/",
            {
                "enterprise": ent.pk,
                "title": "电商客服",
                "openings": 5,
                "pay_min": "2500",
                "pay_max": "3500",
                "suits_disabled": "on",
            },
        )
    )
    worker = login(ew.worker)
    pos = ent.positions.get()
    ok(worker.post(f"/employment/jobfairs/{fair.pk}/apply/", {"person": ew.people[0].pk, "position": pos.pk}))
    app = pos.applications.get()
    ok(
        worker.post(
            f"/employment/jobfairs/{fair.pk}/decide/",
            {"application": app.pk, "hired": "1", "hired_on": today().isoformat()},
        )
    )
    ok(
        worker.post(
            f"/employment/jobfairs/{fair.pk}/hire-follow-up/",
            {
                "application": app.pk,
                "followed_on": today().isoformat(),
                "still_working": "on",
                "monthly_income": "3000",
            },
        )
    )
    html = worker.get(f"/employment/jobfairs/{fair.pk}/").content.decode()
    assert "电商客服" in html and "已录用" in html and "3000.00元/月" in html


def test_a_family_recommended_approved_and_placed(ew: Any) -> None:
    staff = login(ew.staff)
    ok(
        staff.post(
            "/employment/welfare-posts/new/",
            {
                "region": ew.tree.community_a.pk,
                "provider": "mca",
                "title": "社区保洁公益岗位",
                "places": 2,
                "monthly_pay": "1500",
                "start_on": AGO.isoformat(),
                "end_on": (today() + datetime.timedelta(days=180)).isoformat(),
            },
        )
    )
    post = WelfarePost.objects.get()
    worker = login(ew.worker)
    bad = worker.post(
        f"/employment/welfare-posts/{post.pk}/recommend/",
        {"person": ew.people[0].pk, "reason": "", "situation": "低保"},
    )
    assert (
        bad.status_code == 400 and "请填写推荐理由" in bad.content.decode() and "低保" in bad.content.decode()
    )
    ok(
        worker.post(
            f"/employment/welfare-posts/{post.pk}/recommend/",
            {
                "person": ew.people[0].pk,
                "reason": "有劳动能力，家庭困难",
                "situation": "一人残疾，无固定收入",
            },
        )
    )
    rec = Recommendation.objects.get()
    assert worker.post(f"/employment/recommendations/{rec.pk}/decide/", {"approve": "1"}).status_code == 403
    home = staff.get("/").content.decode()
    assert "待审批的公益岗位推荐" in home
    ok(staff.post(f"/employment/recommendations/{rec.pk}/decide/", {"approve": "1", "note": "同意"}))
    ok(worker.post(f"/employment/recommendations/{rec.pk}/place/", {"placed_on": today().isoformat()}))
    ok(
        worker.post(
            f"/employment/recommendations/{rec.pk}/confirm/", {"month": today().isoformat(), "working": "on"}
        )
    )
    rec.refresh_from_db()
    assert rec.status == "placed" and rec.confirmations.count() == 1
    html = worker.get(f"/employment/welfare-posts/{post.pk}/").content.decode()
    assert "在岗" in html and "有劳动能力，家庭困难" in html
    assert "社区保洁公益岗位" in worker.get(f"/registry/persons/{ew.people[0].pk}/").content.decode()


def test_the_list_of_working_age_disabled_without_work(ew: Any) -> None:
    old = working_age_person(ew.tree.grid_a, age=70, seq=91)
    able = working_age_person(ew.tree.grid_a, age=40, seq=93, category=None)
    worker = login(ew.worker)
    html = worker.get("/employment/without-work/").content.decode()
    for p in ew.people:
        assert p.name in html
    assert old.name not in html and able.name not in html
    from wushe.employment.services import factory_create, worker_add

    f = factory_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        name="厂",
        operator=ew.org,
        opened_on=AGO,
        products="x",
    )
    worker_add(acting_user=ew.worker, factory=f, person=ew.people[0])
    html = worker.get(f"/employment/without-work/?region={ew.tree.community_a.pk}").content.decode()
    assert ew.people[0].name not in html and ew.people[1].name in html
    assert ew.people[1].name not in login(ew.worker_b).get("/employment/without-work/").content.decode()
    export = worker.get("/employment/without-work/export.xlsx")
    assert export.status_code == 200


def test_pages_need_the_registry_and_scope(ew: Any, users: Any) -> None:
    assert login(users.nobody).get("/employment/trainings/").status_code == 403
    from wushe.employment.services import factory_create

    f = factory_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        name="厂",
        operator=ew.org,
        opened_on=AGO,
        products="x",
    )
    assert login(ew.worker_b).get(f"/employment/microfactories/{f.pk}/").status_code == 404
    assert login(ew.worker).get(f"/employment/microfactories/{f.pk}/").status_code == 200
    assert login(ew.worker).get("/employment/microfactories/new/").status_code == 403
