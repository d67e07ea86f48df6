"""The figures (computed again from their records, scoped, by period) and the API (lists,
details, writes, 422 naming the field, scope)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest

from tests.fixtures import login
from wushe.core.checks import today
from wushe.core.metrics import Scope, compute, recompute
from wushe.employment import services

from .conftest import ENTERPRISE_CODE

pytestmark = pytest.mark.django_db

KEYS = (
    "trainings",
    "trainees",
    "trainees.employed",
    "microfactories",
    "microfactories.investment",
    "microfactories.workers",
    "microfactories.families",
    "jobfairs",
    "jobfairs.enterprises",
    "jobfairs.positions",
    "jobfairs.hires",
    "welfare_posts.placed",
    "welfare_posts.families",
)
AGO = today() - datetime.timedelta(days=150)


def _world(ew: Any) -> None:
    course = services.course_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        title="直播",
        kind="livestream",
        start_on=AGO,
        end_on=AGO,
        sessions=1,
    )
    outcomes = [("flexible", "livestream"), ("not_working", ""), ("employed", "")]
    for p, (outcome, kind) in zip(ew.people, outcomes, strict=False):
        e = services.enrolment_create(acting_user=ew.worker, course=course, person=p, enrolled_on=AGO)
        services.follow_up_record(
            acting_user=ew.worker,
            enrolment=e,
            month=1,
            outcome="employed",
            followed_on=AGO + datetime.timedelta(30),
        )
        services.follow_up_record(
            acting_user=ew.worker,
            enrolment=e,
            month=3,
            outcome=outcome,
            flexible_kind=kind,
            followed_on=AGO + datetime.timedelta(90),
        )
    f = services.factory_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        name="厂",
        operator=ew.org,
        opened_on=AGO,
        products="编织",
    )
    services.investment_record(
        acting_user=ew.staff,
        factory=f,
        amount="60000.00",
        source="government",
        department="残联",
        invested_on=AGO,
    )
    for p in ew.people[:3]:
        services.worker_add(acting_user=ew.worker, factory=f, person=p, started_on=AGO)
    fair = services.job_fair_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        title="招聘会",
        held_on=AGO,
        place="广场",
        organizer="社区",
    )
    ent = services.fair_enterprise_add(
        acting_user=ew.staff, fair=fair, name="巧手", credit_code=ENTERPRISE_CODE
    )
    pos = services.position_add(acting_user=ew.staff, enterprise=ent, title="客服", openings=7)
    services.position_add(acting_user=ew.staff, enterprise=ent, title="主播", openings=5)
    a = services.application_create(acting_user=ew.worker, position=pos, person=ew.people[3])
    services.application_decide(acting_user=ew.worker, application=a, hired=True, hired_on=AGO)
    post = services.welfare_post_create(
        acting_user=ew.staff, region=ew.tree.community_a, provider="mca", title="保洁", places=5,
        monthly_pay="1500", start_on=AGO, end_on=today() + datetime.timedelta(days=100),
    )  # fmt: skip
    for p in ew.people[:2]:
        r = services.recommendation_create(
            acting_user=ew.worker, post=post, person=p, reason="困难", situation="低保"
        )
        r = services.recommendation_decide(acting_user=ew.staff, recommendation=r, approve=True)
        services.placement_start(acting_user=ew.worker, recommendation=r, placed_on=today())


def test_the_figures_come_from_the_records(ew: Any) -> None:
    _world(ew)
    scope = Scope(region=ew.tree.street)
    figures = compute(scope)
    values = {k: figures[k].value for k in KEYS}
    assert values == {
        "trainings": 1,
        "trainees": 3,
        "trainees.employed": 2,  # flexible and employed at month 3; the one not working is not
        "microfactories": 1,
        "microfactories.investment": Decimal("60000.00"),
        "microfactories.workers": 3,
        "microfactories.families": 3,
        "jobfairs": 1,
        "jobfairs.enterprises": 1,
        "jobfairs.positions": 12,
        "jobfairs.hires": 1,
        "welfare_posts.placed": 2,
        "welfare_posts.families": 2,
    }
    for key in KEYS:
        assert recompute(key, scope) == figures[key].value, key
    # before the 3-month follow-ups, all three were at work (month 1)
    early = compute(Scope(region=ew.tree.street, start=AGO, end=AGO + datetime.timedelta(45)))
    assert early["trainees.employed"].value == 3
    # placements of this month count for this month, and not for a period before them
    before = compute(Scope(region=ew.tree.street, start=AGO, end=AGO + datetime.timedelta(10)))
    assert before["welfare_posts.families"].value == 0
    assert (
        compute(Scope(region=ew.tree.street, start=today(), end=today()))["welfare_posts.families"].value == 2
    )
    # another street sees none of it, and a user sees only the scope granted
    assert compute(Scope(region=ew.tree.other_street))["microfactories.families"].value == 0
    mine = compute(Scope(region=ew.tree.street, user=ew.worker_b))
    assert mine["trainees"].value == 0 and mine["welfare_posts.placed"].value == 0


def test_the_drill_down_lists_the_records(ew: Any) -> None:
    _world(ew)
    c = login(ew.street_admin)
    from django.urls import reverse

    r = c.get(reverse("reports:drill", args=["microfactories.families"]) + f"?region={ew.tree.street.code}")
    assert r.status_code == 200
    html = r.content.decode()
    assert all(p.name in html for p in ew.people[:3])


def test_the_api(ew: Any) -> None:
    _world(ew)
    c = login(ew.worker)
    data = c.get("/api/v1/trainings").json()
    assert data["count"] == 1 and data["items"][0]["trainees"] == 3
    detail = c.get(f"/api/v1/trainings/{data['items'][0]['id']}").json()
    assert detail["follow_up_months"] == [1, 3, 6]
    assert {e["follow_ups"][-1]["outcome"] for e in detail["enrolments"]} == {
        "flexible",
        "not_working",
        "employed",
    }
    f = c.get("/api/v1/microfactories").json()["items"][0]
    assert (f["investment"], f["workers"]) == ("60000.00", 3)
    assert c.get(f"/api/v1/microfactories/{f['id']}").json()["families"] == 3
    fair = c.get("/api/v1/jobfairs").json()["items"][0]
    assert (fair["enterprises"], fair["positions"]) == (1, 12)
    post = c.get("/api/v1/welfare-posts").json()["items"][0]
    assert post["placed"] == 2
    # writes: 422 naming the field
    staff = login(ew.staff)
    body = {
        "region": ew.tree.community_a.code,
        "title": "",
        "kind": "handicraft",
        "start_on": str(AGO),
        "end_on": str(AGO),
        "sessions": 2,
    }
    r = staff.post("/api/v1/trainings", json.dumps(body), content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "title"
    body["title"] = "手工"
    body["end_on"] = str(AGO - datetime.timedelta(days=1))
    r = staff.post("/api/v1/trainings", json.dumps(body), content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "end_on"
    body["end_on"] = str(AGO)
    course = staff.post("/api/v1/trainings", json.dumps(body), content_type="application/json")
    assert course.status_code == 201, course.content
    cid = course.json()["id"]
    r = c.post(
        f"/api/v1/trainings/{cid}/enrolments",
        json.dumps({"person": ew.people[0].pk}),
        content_type="application/json",
    )
    assert r.status_code == 201
    eid = r.json()["id"]
    r = c.post(
        f"/api/v1/trainings/enrolments/{eid}/follow-ups",
        json.dumps(
            {"month": 3, "outcome": "flexible", "flexible_kind": "handicraft", "monthly_income": "800.00"}
        ),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["follow_ups"][0]["monthly_income"] == "800.00"
    r = c.post(
        f"/api/v1/trainings/{cid}/attendance",
        json.dumps({"session": 9, "present": [eid]}),
        content_type="application/json",
    )
    assert r.status_code == 422
    r = staff.post(
        f"/api/v1/microfactories/{f['id']}/investments",
        json.dumps({"amount": "100.00", "source": "project"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "project"
    r = staff.post(
        f"/api/v1/jobfairs/{fair['id']}/enterprises",
        json.dumps({"name": "新公司", "credit_code": "ABC"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "credit_code"
    r = c.post(
        f"/api/v1/welfare-posts/{post['id']}/recommendations",
        json.dumps({"person": ew.people[3].pk, "reason": "困难", "situation": ""}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "situation"
    # scope: another community's worker sees neither 甲社区's course nor its factory
    other = login(ew.worker_b)
    assert other.get(f"/api/v1/trainings/{cid}").status_code == 404
    assert other.get("/api/v1/trainings").json()["count"] == 0
    assert other.get(f"/api/v1/microfactories/{f['id']}").status_code == 404
    street = services.course_create(
        acting_user=ew.street_admin, region=ew.tree.street, title="街道电脑班", kind="computer",
        start_on=AGO, end_on=AGO, sessions=1,
    )  # fmt: skip
    assert other.get(f"/api/v1/trainings/{street.pk}").status_code == 200  # the street's course serves 乙社区
    r = other.post(
        f"/api/v1/trainings/{street.pk}/enrolments",
        json.dumps({"person": ew.people[1].pk}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "person"
