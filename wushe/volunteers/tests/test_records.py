"""Corrections of hours (pending: edited with history; verified: a reversing record, never an
edit) and the training, awards and evaluations a volunteer's record also holds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import UserFactory
from wushe.accounts.roles import Role
from wushe.volunteers import records, selectors, services
from wushe.volunteers.models import EntryKind, RecordStatus, ServiceRecord, Volunteer, VolunteerEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
JOINED = TODAY - datetime.timedelta(days=60)
DAY = TODAY - datetime.timedelta(days=3)


def _volunteer(team: Any, name: str = "李志愿") -> Volunteer:
    return services.volunteer_create(acting_user=None, team=team, name=name, joined_on=JOINED)


def _verified(team: Any, v: Volunteer, hours: str = "3") -> ServiceRecord:
    record = services.service_record_log(
        acting_user=None, volunteer=v, on=DAY, hours=hours, kind="meal", content="送餐"
    )
    return services.service_record_verify(acting_user=team.leader, record=record, approve=True)


def test_a_pending_record_is_edited_with_history(team: Any, users: Any) -> None:
    v = _volunteer(team)
    record = services.service_record_log(
        acting_user=users.street_admin, volunteer=v, on=DAY, hours=2, kind="meal", content="送餐"
    )
    records.service_record_update(
        acting_user=users.street_admin,
        record=record,
        on=DAY,
        hours="2.5",
        kind="clean",
        content="助洁",
        reason="填错了类型",
    )
    record.refresh_from_db()
    assert (record.hours, record.kind, record.content) == (Decimal("2.5"), "clean", "助洁")
    last = record.history.first()
    assert last.history_user == users.street_admin and last.history_change_reason == "填错了类型"
    with pytest.raises(ValidationError) as exc:
        records.service_record_update(
            acting_user=users.street_admin, record=record, on=DAY, hours=30, kind="clean", content="x"
        )
    assert "hours" in exc.value.message_dict
    record.refresh_from_db()
    assert record.hours == Decimal("2.5")


def test_only_who_may_write_the_record_edits_it(team: Any, other_team: Any, users: Any) -> None:
    v = _volunteer(team)
    record = services.service_record_log(
        acting_user=None, volunteer=v, on=DAY, hours=2, kind="meal", content="送餐"
    )
    other_leader = UserFactory(role=Role.TEAM_LEADER, organization=other_team.organization)
    for outsider in (
        users.leader,
        other_leader,
        users.worker_b,
    ):  # read-only, another team, another community
        with pytest.raises((PermissionDenied, ValidationError)):
            records.service_record_update(
                acting_user=outsider, record=record, on=DAY, hours=1, kind="meal", content="改"
            )
    records.service_record_update(
        acting_user=team.leader, record=record, on=DAY, hours=1, kind="meal", content="改"
    )


def test_a_verified_record_is_corrected_by_a_reversing_record(team: Any) -> None:
    v = _volunteer(team)
    original = _verified(team, v, "3")
    with pytest.raises(ValidationError):  # never edited in place
        records.service_record_update(
            acting_user=team.leader, record=original, on=DAY, hours=1, kind="meal", content="改"
        )
    reversal, corrected = records.service_record_correct(
        acting_user=team.leader, record=original, reason="实际服务2小时", hours="2"
    )
    original.refresh_from_db()
    assert original.hours == Decimal("3") and original.status == RecordStatus.VERIFIED  # kept as it was
    assert reversal.hours == Decimal("-3") and reversal.corrects == original and reversal.on == original.on
    assert (
        corrected is not None
        and corrected.hours == Decimal("2")
        and corrected.status == RecordStatus.VERIFIED
    )
    totals = selectors.volunteer_totals(v)
    assert totals["verified"] == Decimal("2") and totals["count"] == 1
    proof = services.proof_issue(acting_user=None, volunteer=v, issued_on=TODAY)
    assert proof.hours == Decimal("2") and proof.record_count == 1
    with pytest.raises(ValidationError):  # reversed at most once
        records.service_record_correct(acting_user=team.leader, record=original, reason="再来一次")
    with pytest.raises(ValidationError):  # a reversal is not corrected
        records.service_record_correct(acting_user=team.leader, record=reversal, reason="x")


def test_withdrawn_hours_leave_nothing_to_prove(team: Any) -> None:
    v = _volunteer(team)
    original = _verified(team, v)
    reversal, corrected = records.service_record_correct(
        acting_user=team.leader, record=original, reason="重复填报", withdraw=True
    )
    assert corrected is None and selectors.volunteer_totals(v)["verified"] == Decimal("0")
    with pytest.raises(ValidationError):
        services.proof_issue(acting_user=None, volunteer=v)


def test_only_the_team_leader_corrects_verified_hours_and_gives_a_reason(team: Any, users: Any) -> None:
    original = _verified(team, _volunteer(team))
    with pytest.raises(PermissionDenied):
        records.service_record_correct(acting_user=users.street_admin, record=original, reason="x")
    with pytest.raises(ValidationError) as exc:
        records.service_record_correct(acting_user=team.leader, record=original, reason="  ")
    assert "reason" in exc.value.message_dict
    assert not ServiceRecord.objects.filter(corrects=original).exists()


def test_training_awards_and_evaluations(team: Any, users: Any) -> None:
    v = _volunteer(team)
    records.volunteer_entry_add(
        acting_user=team.leader, volunteer=v, kind="training", on=DAY, title="助残服务培训", hours="4"
    )
    records.volunteer_entry_add(
        acting_user=users.street_admin,
        volunteer=v,
        kind="award",
        on=DAY,
        title="优秀志愿者",
        issuer="市西街道",
    )
    entry = records.volunteer_entry_add(
        acting_user=team.leader, volunteer=v, kind="evaluation", on=DAY, title="2026年度", grade="excellent"
    )
    assert entry.history.first().history_user == team.leader
    got = selectors.volunteer_entries(v)
    assert [e.title for e in got[EntryKind.TRAINING]] == ["助残服务培训"]
    assert got[EntryKind.TRAINING][0].hours == Decimal("4")
    with pytest.raises(ValidationError) as exc:
        records.volunteer_entry_add(
            acting_user=team.leader, volunteer=v, kind="evaluation", on=DAY, title="x"
        )
    assert "grade" in exc.value.message_dict
    with pytest.raises(ValidationError):
        records.volunteer_entry_add(acting_user=team.leader, volunteer=v, kind="medal", on=DAY, title="x")
    with pytest.raises(PermissionDenied):
        records.volunteer_entry_add(acting_user=users.leader, volunteer=v, kind="award", on=DAY, title="x")
    assert VolunteerEntry.objects.count() == 3


def test_the_pages(team: Any, users: Any) -> None:
    v = _volunteer(team)
    original = _verified(team, v)
    leader = login(team.leader)
    page = leader.get(reverse("volunteers:volunteer_detail", args=[v.pk])).content.decode()
    correct_url = reverse("volunteers:record_correct", args=[original.pk])
    assert correct_url in page and "培训、表彰和评价" in page
    form = leader.get(correct_url).content.decode()
    assert "更正已核实的服务时长" in form and "冲销" in form
    response = leader.post(
        correct_url,
        {"on": DAY.isoformat(), "hours": "1.5", "kind": "meal", "content": "送餐", "reason": "多记了"},
    )
    assert response.status_code == 302
    assert selectors.volunteer_totals(v)["verified"] == Decimal("1.5")
    page = leader.get(reverse("volunteers:volunteer_detail", args=[v.pk])).content.decode()
    assert "冲销记录" in page and "已更正" in page and correct_url not in page  # corrected once
    response = leader.post(
        reverse("volunteers:entry_add", args=[v.pk]),
        {"kind": "award", "on": DAY.isoformat(), "title": "星级志愿者", "issuer": "市西街道"},
    )
    assert response.status_code == 302
    response = leader.post(
        reverse("volunteers:entry_add", args=[v.pk]),
        {"kind": "evaluation", "on": DAY.isoformat(), "title": "年度"},
    )
    assert response.status_code == 400 and "评价请选择等次" in response.content.decode()
    proof = services.proof_issue(acting_user=None, volunteer=v, issued_on=TODAY)
    page = leader.get(reverse("volunteers:proof_detail", args=[proof.pk])).content.decode()
    assert "表彰奖励" in page and "星级志愿者" in page
    # the read-only leader sees the record but is offered no correction and is refused one
    viewer = login(users.leader)
    assert viewer.get(correct_url).status_code == 403


def test_the_api_edits_corrects_and_adds_entries(team: Any, users: Any) -> None:
    import json

    from django.test import Client

    from wushe.accounts.services import api_token_issue

    v = _volunteer(team)
    pending = services.service_record_log(
        acting_user=None, volunteer=v, on=DAY, hours=2, kind="meal", content="送餐"
    )
    verified = _verified(team, v, "4")
    api = Client(headers={"Authorization": f"Bearer {api_token_issue(user=team.leader)}"})

    def call(method: str, path: str, body: dict[str, Any]) -> Any:
        return api.generic(
            method, f"/api/v1/volunteers{path}", json.dumps(body), content_type="application/json"
        )

    response = call("PATCH", f"/records/{pending.pk}", {"hours": "1.5", "reason": "少记半小时"})
    assert response.status_code == 200 and response.json()["hours"] == "1.5"
    assert call("PATCH", f"/records/{verified.pk}", {"hours": "1"}).status_code == 422  # verified: correct it
    response = call("POST", f"/records/{verified.pk}/correct", {"reason": "实际3小时", "hours": "3"})
    body = response.json()
    assert (
        response.status_code == 201
        and body["reversal"]["hours"] == "-4.0"
        and body["corrected"]["hours"] == "3.0"
    )
    response = call(
        "POST",
        f"/{v.pk}/entries",
        {"kind": "training", "on": DAY.isoformat(), "title": "急救培训", "hours": "3"},
    )
    assert response.status_code == 201 and response.json()["title"] == "急救培训"
    viewer = Client(headers={"Authorization": f"Bearer {api_token_issue(user=users.leader)}"})
    response = viewer.post(
        f"/api/v1/volunteers/{v.pk}/entries",
        json.dumps({"kind": "award", "on": DAY.isoformat(), "title": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403
