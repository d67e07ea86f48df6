from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.conftest import login
from tests.factories import UserFactory
from tests.outreach_factories import count_queries, household_in, make_need, outreach_in
from wushe.accounts.roles import Role
from wushe.needs.models import Need, NeedStatus, Problem, ProblemStatus
from wushe.needs.services import problem_create

pytestmark = pytest.mark.django_db


def test_worker_accepts_a_suggestion_and_the_org_sees_only_that_need(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    other = make_need(o.household, description="另一项需求")
    client = login(users.worker_a)
    page = client.get(f"/needs/{o.need.pk}/").content.decode()
    assert o.resource.name in page and "剩余容量 5/5" in page
    response = client.post(
        f"/needs/{o.need.pk}/accept/", {"kind": "resource", "target": o.resource.pk}, follow=True
    )
    assert f"已转介至{o.org.name}" in response.content.decode()
    o.need.refresh_from_db()
    assert o.need.referred_to == o.org and o.need.status == NeedStatus.MATCHED
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    staff_client = login(staff)
    listing = staff_client.get("/needs/").content.decode()
    assert o.need.description in listing and "另一项需求" not in listing
    assert staff_client.get(f"/needs/{o.need.pk}/").status_code == 200
    assert staff_client.get(f"/needs/{other.pk}/").status_code == 404
    step = staff_client.post(f"/needs/{o.need.pk}/step/", {"to_status": "in_service"})
    assert step.status_code == 302
    assert Need.objects.get(pk=o.need.pk).status == NeedStatus.IN_SERVICE


def test_bad_step_names_the_field_and_changes_nothing(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = login(users.worker_a)
    response = client.post(f"/needs/{o.need.pk}/step/", {"to_status": "unmet", "unmet_reason": ""})
    assert response.status_code == 400
    assert "无法满足的原因" in response.content.decode()
    response = client.post(f"/needs/{o.need.pk}/step/", {"to_status": "bogus"})
    assert response.status_code == 400 and "推进到" in response.content.decode()
    o.need.refresh_from_db()
    assert o.need.status == NeedStatus.ASSESS and o.need.steps.count() == 1


def test_accepting_a_bad_target_changes_nothing(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = login(users.worker_a)
    response = client.post(f"/needs/{o.need.pk}/accept/", {"kind": "resource", "target": 999999}, follow=True)
    assert "不存在" in response.content.decode()
    response = client.post(f"/needs/{o.need.pk}/accept/", {"kind": "resource", "target": "x"}, follow=True)
    assert "target" in response.content.decode()
    o.need.refresh_from_db()
    assert o.need.referred_to is None


def test_register_a_need_from_the_form(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = login(users.worker_a)
    bad = client.post(
        "/needs/new/",
        {
            "household": o.household.pk,
            "category": "",
            "description": "x",
            "urgency": "normal",
            "source": "self",
        },
    )
    assert bad.status_code == 200 and "需求类别" in bad.content.decode()
    assert Need.objects.count() == 1
    ok = client.post(
        "/needs/new/",
        {
            "household": o.household.pk,
            "category": "psych",
            "description": "需要陪伴",
            "urgency": "urgent",
            "source": "self",
        },
    )
    assert ok.status_code == 302 and Need.objects.count() == 2


def test_resolve_a_problem_from_the_list(tree: Any, users: Any) -> None:
    problem = problem_create(acting_user=None, household=household_in(tree.grid_a), description="漏雨")
    client = login(users.worker_a)
    bad = client.post(f"/needs/problems/{problem.pk}/resolve/", {"resolution": ""}, follow=True)
    assert "解决情况" in bad.content.decode()
    assert Problem.objects.get().status == ProblemStatus.OPEN
    ok = client.post(
        f"/needs/problems/{problem.pk}/resolve/", {"resolution": "已修", "satisfaction": "satisfied"}
    )
    assert ok.status_code == 302 and Problem.objects.get().status == ProblemStatus.RESOLVED


def test_need_list_queries_are_bounded(tree: Any, users: Any, django_assert_max_num_queries: Any) -> None:
    o = outreach_in(tree)
    client = login(users.street_admin)
    urls = (
        "/needs/",
        "/needs/?overdue=on",
        "/needs/problems/",
        f"/partners/responsibilities/{o.need.responsible_unit_id}/",
    )
    make_need(o.household, reported_on=datetime.date(2026, 1, 2))  # one overdue
    problem_create(acting_user=None, household=o.household, description="问题")
    client.get("/needs/")
    small = {u: count_queries(client, u) for u in urls}
    for _ in range(6):
        h = household_in(tree.grid_b)
        make_need(h, reported_on=datetime.date(2026, 1, 2))
        problem_create(acting_user=None, household=h, description="问题")
    assert {u: count_queries(client, u) for u in urls} == small
    # session (read, user, save), grants, permissions, then the page's own reads
    with django_assert_max_num_queries(16):
        client.get("/needs/")
