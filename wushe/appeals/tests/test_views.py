"""The studio's walk: register a walk-in request, refer it, the unit handles it, feedback and
satisfaction, archive — every step on the timeline with its deadline; overdue shown in words."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import UserFactory
from wushe.accounts.roles import Role
from wushe.appeals import services
from wushe.appeals.models import Appeal

pytestmark = pytest.mark.django_db


def test_the_studio_and_the_unit_take_a_request_through_all_steps(
    studio: Any, unit: Any, person_a: Any
) -> None:
    studio_user = UserFactory(username="studio_user", role=Role.STUDIO, organization=studio.organization)
    unit_user = UserFactory(username="unit_user", role=Role.ORG_STAFF, organization=unit.organization)
    client = login(studio_user)
    created = client.post(
        reverse("appeals:appeal_create"),
        {"studio": str(studio.pk), "channel": "walk_in", "team": "npc", "category": "help", "content": "轮椅坏了",
         "requester_name": "王大爷", "requester_phone": "13812345678"},
    )  # fmt: skip
    appeal = Appeal.objects.get()
    assert created.status_code == 302
    detail = reverse("appeals:appeal_detail", args=[appeal.pk])
    step = reverse("appeals:appeal_step", args=[appeal.pk])
    assert appeal.number in client.get(detail).content.decode()
    assert client.post(step, {"step": "receive", "note": "人大代表接待"}).status_code == 302
    assert client.post(step, {"step": "refer", "unit": str(unit.pk), "note": "转社工机构"}).status_code == 302
    # the unit's organization now sees it and handles it
    unit_client = login(unit_user)
    assert unit_client.get(detail).status_code == 200
    assert (
        unit_client.post(step, {"step": "handle", "resolution": "已维修", "resolved": "on"}).status_code
        == 302
    )
    assert client.post(step, {"step": "feedback", "feedback": "电话告知"}).status_code == 302
    refused = client.post(step, {"step": "archive"})
    assert refused.status_code == 400 and "满意度" in refused.content.decode()
    assert (
        client.post(
            reverse("appeals:appeal_satisfaction", args=[appeal.pk]), {"satisfaction": "satisfied"}
        ).status_code
        == 302
    )
    assert client.post(step, {"step": "archive", "note": "归档"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.step == "archive" and appeal.resolved and appeal.satisfaction == "satisfied"
    page = client.get(detail).content.decode()
    for label in ("登记", "接待", "转办", "处理", "反馈", "归档"):
        assert label in page
    assert page.count("期限") >= 6 and "按期完成" in page
    assert "13812345678" not in page


def test_overdue_is_said_in_words(studio: Any, person_a: Any, users: Any) -> None:
    appeal = services.appeal_register(
        acting_user=None, studio=studio, channel="walk_in", category="help", content="x", person=person_a,
        at=datetime.datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
    )  # fmt: skip
    client = login(users.worker_a)
    page = client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    assert "已逾期，未办理" in page
    listed = client.get(reverse("appeals:appeal_list"), {"overdue": "on"}).content.decode()
    assert appeal.number in listed and "已逾期" in listed
    studio_page = client.get(reverse("appeals:studio_detail", args=[studio.pk])).content.decode()
    assert "已逾期" in studio_page


def test_bad_input_names_the_field_and_writes_nothing(studio: Any, users: Any) -> None:
    response = login(users.worker_a).post(
        reverse("appeals:appeal_create"),
        {"studio": str(studio.pk), "channel": "walk_in", "category": "help", "content": "x"},
    )
    assert response.status_code == 200 and "诉求人姓名" in response.content.decode()
    assert Appeal.objects.count() == 0


@pytest.mark.parametrize("n", [2, 8])
def test_the_list_runs_a_fixed_number_of_queries(
    studio: Any, person_a: Any, users: Any, n: int, django_assert_num_queries: Any
) -> None:
    for _ in range(n):
        services.appeal_register(
            acting_user=None, studio=studio, channel="walk_in", category="help", content="x", person=person_a
        )
    client = login(users.worker_a)
    client.get(reverse("appeals:appeal_list"))
    with django_assert_num_queries(13):  # … and the page's 督办, one grouped query
        response = client.get(reverse("appeals:appeal_list"))
    assert len(response.context["page_obj"].object_list) == n
