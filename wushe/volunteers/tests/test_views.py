"""Volunteer pages: the leader's verification, the printable proof, scoped lists with bounded queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from wushe.volunteers import services
from wushe.volunteers.models import Proof, RecordStatus, ServiceRecord

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_log_verify_and_print(team: Any, users: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李志愿", joined_on=TODAY)
    worker = login(users.worker_a)
    bad = worker.post(
        reverse("volunteers:record_log", args=[v.pk]),
        {"on": TODAY.isoformat(), "hours": "30", "kind": "meal", "content": "送餐"},
    )
    assert bad.status_code == 400 and "服务时长（小时）" in bad.content.decode()
    assert ServiceRecord.objects.count() == 0
    ok = worker.post(
        reverse("volunteers:record_log", args=[v.pk]),
        {"on": TODAY.isoformat(), "hours": "2", "kind": "meal", "content": "送餐"},
    )
    assert ok.status_code == 302
    record = ServiceRecord.objects.get()
    assert (
        worker.post(reverse("volunteers:record_verify", args=[record.pk]), {"approve": "1"}).status_code
        == 403
    )
    leader = login(team.leader)
    team_page = leader.get(reverse("volunteers:team_detail", args=[team.pk])).content.decode()
    assert "送餐" in team_page and "核实" in team_page
    assert (
        leader.post(reverse("volunteers:record_verify", args=[record.pk]), {"approve": "1"}).status_code
        == 302
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED
    issued = worker.post(reverse("volunteers:proof_issue", args=[v.pk]), {})
    proof = Proof.objects.get()
    assert issued.status_code == 302 and issued["Location"] == reverse(
        "volunteers:proof_detail", args=[proof.pk]
    )
    page = worker.get(issued["Location"]).content.decode()
    assert "志愿服务记录证明" in page and proof.number in page and v.number in page and "2.0" in page
    assert "volunteers/proof.css" in page and "data-print" in page


def test_the_print_stylesheet_hides_the_chrome() -> None:
    from pathlib import Path

    from django.contrib.staticfiles import finders

    found = finders.find("volunteers/proof.css")
    assert found is not None
    css = Path(found).read_text(encoding="utf-8")
    assert "@media print" in css and "header" in css


@pytest.mark.parametrize("n", [3, 11])
def test_the_volunteer_list_runs_a_fixed_number_of_queries(
    team: Any, users: Any, n: int, django_assert_num_queries: Any
) -> None:
    rows = [services.VolunteerRow(name=f"志愿者{i}", joined_on=TODAY) for i in range(n)]
    services.volunteer_bulk_create(acting_user=None, team=team, rows=rows)
    client = login(users.worker_a)
    client.get(reverse("volunteers:volunteer_list"))
    with django_assert_num_queries(12):
        response = client.get(reverse("volunteers:volunteer_list"))
    assert len(response.context["page_obj"].object_list) == n
    assert (
        login(users.worker_b).get(reverse("volunteers:volunteer_list")).context["page_obj"].paginator.count
        == 0
    )
