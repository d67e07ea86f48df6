"""Volunteers: numbers (never ID numbers), hours logged and verified by the leader, totals, proofs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wushe.volunteers import selectors, services
from wushe.volunteers.models import RecordStatus, ServiceRecord, Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
JOINED = TODAY - datetime.timedelta(days=60)


def volunteer(team: Any, name: str = "李志愿") -> Volunteer:
    return services.volunteer_create(acting_user=None, team=team, name=name, joined_on=JOINED)


def test_the_leader_is_granted_on_the_team_and_verifies_hours(team: Any, users: Any) -> None:
    v = volunteer(team)
    assert v.number.startswith(f"ZY{JOINED.year}-")
    record = services.service_record_log(
        acting_user=None,  # logged by someone else: nobody verifies hours they logged themselves
        volunteer=v,
        on=TODAY,
        hours="2.5",
        kind="meal",
        content="送餐",
        beneficiary="独居老人",
    )
    assert record.status == RecordStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.service_record_verify(acting_user=users.street_admin, record=record, approve=True)
    services.service_record_verify(acting_user=team.leader, record=record, approve=True)
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED and record.verified_by == team.leader
    with pytest.raises(ValidationError):
        services.service_record_verify(acting_user=team.leader, record=record, approve=True)
    assert selectors.volunteer_totals(v)["verified"] == Decimal("2.5")


def test_a_volunteer_logs_their_own_hours(team: Any, users: Any) -> None:
    from wushe.accounts.services import user_create

    account = user_create(acting_user=None, username="vol_self", password="wushe-test-pass")
    v = services.volunteer_create(acting_user=None, team=team, name="自己", joined_on=JOINED, user=account)
    record = services.service_record_log(
        acting_user=account, volunteer=v, on=TODAY, hours=1, kind="clean", content="助洁"
    )
    assert record.logged_by == account and record.status == RecordStatus.PENDING
    stranger = volunteer(team, "别人")
    with pytest.raises(PermissionDenied):
        services.service_record_log(
            acting_user=account, volunteer=stranger, on=TODAY, hours=1, kind="clean", content="x"
        )


def test_hours_are_checked_and_bad_input_writes_nothing(team: Any) -> None:
    v = volunteer(team)
    for hours, field in (("0", "hours"), ("25", "hours"), ("abc", "hours")):
        with pytest.raises(ValidationError) as exc:
            services.service_record_log(
                acting_user=None, volunteer=v, on=TODAY, hours=hours, kind="meal", content="x"
            )
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.service_record_log(
            acting_user=None,
            volunteer=v,
            on=JOINED - datetime.timedelta(days=1),
            hours=1,
            kind="meal",
            content="x",
        )
    assert "on" in exc.value.message_dict
    assert ServiceRecord.objects.count() == 0


def test_a_rejection_needs_a_reason(team: Any) -> None:
    v = volunteer(team)
    record = services.service_record_log(
        acting_user=None, volunteer=v, on=TODAY, hours=3, kind="meal", content="送餐"
    )
    with pytest.raises(ValidationError) as exc:
        services.service_record_verify(acting_user=team.leader, record=record, approve=False)
    assert "verify_note" in exc.value.message_dict
    services.service_record_verify(acting_user=team.leader, record=record, approve=False, note="时间重复")
    assert selectors.volunteer_totals(v)["verified"] == 0


def test_a_proof_counts_verified_hours_only(team: Any) -> None:
    v = volunteer(team)
    with pytest.raises(ValidationError):
        services.proof_issue(acting_user=None, volunteer=v)
    a = services.service_record_log(
        acting_user=None, volunteer=v, on=TODAY, hours=2, kind="meal", content="送餐"
    )
    services.service_record_log(
        acting_user=None, volunteer=v, on=TODAY, hours=5, kind="clean", content="未核实"
    )
    b = services.service_record_log(
        acting_user=None, volunteer=v, on=TODAY, hours="1.5", kind="medical", content="陪诊"
    )
    services.service_records_verify_bulk(acting_user=team.leader, team=team, records=[a, b], confirmed=True)
    proof = services.proof_issue(acting_user=None, volunteer=v, issued_on=TODAY)
    assert proof.hours == Decimal("3.5") and proof.record_count == 2
    assert proof.issuer == "思源志愿服务队" and proof.number.startswith(f"ZM{TODAY.year}-")
    assert "助餐" in proof.content and "助医" in proof.content


def test_bulk_create_numbers_volunteers_and_is_all_or_nothing(team: Any) -> None:
    rows = [services.VolunteerRow(name=f"志愿者{i}", joined_on=JOINED) for i in range(30)]
    assert services.volunteer_bulk_create(acting_user=None, team=team, rows=rows) == 30
    numbers = list(Volunteer.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 30 and numbers[0] == f"ZY{JOINED.year}-000001"
    single = volunteer(team)
    assert single.number == f"ZY{JOINED.year}-000031"
    bad = [
        services.VolunteerRow(name="好", joined_on=JOINED),
        services.VolunteerRow(name=" ", joined_on=JOINED),
    ]
    with pytest.raises(ValidationError) as exc:
        services.volunteer_bulk_create(acting_user=None, team=team, rows=bad)
    assert "第2行" in " ".join(exc.value.message_dict["name"])
    assert Volunteer.objects.count() == 31


def test_a_leader_manages_only_their_team(team: Any, other_team: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(acting_user=team.leader, team=other_team, name="x", joined_on=JOINED)
    assert "team" in exc.value.message_dict
    assert (
        services.volunteer_create(acting_user=team.leader, team=team, name="本队", joined_on=JOINED).team
        == team
    )
