"""Issue 14, item 6: hours that cannot be trusted. A volunteer's day is bounded (and warned
about), nobody verifies hours they logged themselves, and 全部核实 asks for confirmation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from wushe.accounts.services import api_token_issue
from wushe.volunteers import services
from wushe.volunteers.models import RecordStatus, ServiceRecord

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
JOINED = TODAY - datetime.timedelta(days=30)


def _log(v: Any, hours: Any, user: Any = None, on: datetime.date = TODAY) -> ServiceRecord:
    return services.service_record_log(
        acting_user=user, volunteer=v, on=on, hours=hours, kind="meal", content="送餐"
    )


def _statuses() -> list[tuple[int, str, Any]]:
    return sorted(ServiceRecord.objects.values_list("pk", "status", "verified_by"))


def test_a_day_holds_at_most_24_hours_across_records(team: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    for _n in range(3):
        _log(v, 8)
    with pytest.raises(ValidationError) as exc:
        _log(v, "0.5")
    message = exc.value.message_dict["hours"][0]
    assert "已登记24" in message and "0.5小时" in message and "超过每人每日24小时的上限" in message
    assert ServiceRecord.objects.count() == 3
    assert _log(v, 8, on=TODAY - datetime.timedelta(days=1)).pk  # another day is another day


def test_a_rejected_record_does_not_count(team: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    wrong = _log(v, 20)
    with pytest.raises(ValidationError):
        _log(v, 5)
    services.service_record_verify(acting_user=team.leader, record=wrong, approve=False, note="重复填报")
    assert _log(v, 5).hours == Decimal("5.0")


def test_above_the_warning_threshold_the_record_is_saved_with_a_warning(team: Any, settings: Any) -> None:
    settings.WUSHE_VOLUNTEER_DAY_WARN_HOURS = 12
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    assert _log(v, 10).warnings == []
    record = _log(v, 4)
    assert record.pk and "14.0" in record.warnings[0] and "12" in record.warnings[0]


def test_the_limit_is_configurable(team: Any, settings: Any) -> None:
    settings.WUSHE_VOLUNTEER_DAY_MAX_HOURS = 10
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    _log(v, 6)
    with pytest.raises(ValidationError) as exc:
        _log(v, 6)
    assert "10" in exc.value.message_dict["hours"][0]


def test_the_api_refuses_the_day_with_the_field_and_carries_the_warning(team: Any, users: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=users.worker_a)}")
    url = f"/api/v1/volunteers/{v.pk}/records"
    body = {"on": TODAY.isoformat(), "hours": "13", "kind": "meal", "content": "送餐"}
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and first.json()["warnings"] and "13.0" in first.json()["warnings"][0]
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 422
    assert [e["field"] for e in second.json()["detail"]] == ["hours"]
    assert "24" in second.json()["detail"][0]["msg"]
    assert ServiceRecord.objects.count() == 1


def test_the_page_shows_the_warning_and_the_refusal(team: Any, users: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    worker = login(users.worker_a)
    url = reverse("volunteers:record_log", args=[v.pk])
    body = {"on": TODAY.isoformat(), "hours": "13", "kind": "meal", "content": "送餐"}
    page = worker.post(url, body, follow=True).content.decode()
    assert "请核对" in page and "13.0" in page
    refused = worker.post(url, body)
    assert refused.status_code == 400 and "超过每人每日24" in refused.content.decode()
    form_page = worker.get(reverse("volunteers:volunteer_detail", args=[v.pk])).content.decode()
    assert "每人每日合计不超过24小时" in form_page


def test_nobody_verifies_hours_they_logged(team: Any) -> None:
    from wushe.accounts.services import user_create

    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    mine = _log(v, 2, user=team.leader)
    with pytest.raises(ValidationError) as exc:
        services.service_record_verify(acting_user=team.leader, record=mine, approve=True)
    assert "不能核实本人填报" in exc.value.message_dict["verified_by"][0]
    # nor the leader's own hours, whoever logged them
    own_account = user_create(acting_user=None, username="own_hours", password="wushe-test-pass")
    own = services.volunteer_create(
        acting_user=None, team=team, name="队长本人", joined_on=JOINED, user=team.leader
    )
    assert own_account.pk
    theirs = _log(own, 2)
    with pytest.raises(ValidationError):
        services.service_record_verify(acting_user=team.leader, record=theirs, approve=True)
    assert set(ServiceRecord.objects.values_list("status", flat=True)) == {RecordStatus.PENDING}


def test_self_verification_through_the_api_and_the_page(team: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    mine = _log(v, 2, user=team.leader)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=team.leader)}")
    response = client.post(
        f"/api/v1/volunteers/records/{mine.pk}/verify", {"approve": True}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "verified_by"
    leader = login(team.leader)
    page = leader.get(reverse("volunteers:team_detail", args=[team.pk])).content.decode()
    assert "须由他人核实" in page
    assert reverse("volunteers:record_verify", args=[mine.pk]) not in page  # not offered
    leader.post(reverse("volunteers:record_verify", args=[mine.pk]), {"approve": "1"})
    mine.refresh_from_db()
    assert mine.status == RecordStatus.PENDING


def test_verify_all_without_confirmation_changes_nothing(team: Any) -> None:
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    w = services.volunteer_create(acting_user=None, team=team, name="王", joined_on=JOINED)
    _log(v, 2)
    _log(w, "3.5", on=TODAY - datetime.timedelta(days=1))
    _log(w, 1, user=team.leader)  # the leader's own entry: never in a bulk verification
    before = _statuses()
    result = services.service_records_verify_bulk(
        acting_user=team.leader, team=team, records=list(ServiceRecord.objects.all())
    )
    assert (result.count, result.hours, result.own, result.done) == (2, Decimal("5.5"), 1, False)
    assert _statuses() == before
    leader = login(team.leader)
    url = reverse("volunteers:team_verify_all", args=[team.pk])
    page = leader.post(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "将核实 2 条服务记录，共 5.5 小时" in text and 'name="confirm"' in text
    assert _statuses() == before
    done = leader.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert sorted(ServiceRecord.objects.values_list("status", flat=True)) == [
        RecordStatus.PENDING,
        RecordStatus.VERIFIED,
        RecordStatus.VERIFIED,
    ]


def test_a_day_over_the_limit_from_before_is_not_verified(team: Any) -> None:
    """Records written before the bound (151 hours in one day) stay for a look one by one."""
    v = services.volunteer_create(acting_user=None, team=team, name="李", joined_on=JOINED)
    records = [_log(v, 10) for _n in range(2)]
    ServiceRecord.objects.bulk_create(
        [ServiceRecord(volunteer=v, team=team, region=v.region, on=TODAY, hours=10, kind="meal", content="x")]
    )
    result = services.service_records_verify_bulk(
        acting_user=team.leader, team=team, records=list(ServiceRecord.objects.all()), confirmed=True
    )
    assert (result.count, result.over_day) == (0, 3)
    with pytest.raises(ValidationError) as exc:
        services.service_record_verify(acting_user=team.leader, record=records[0], approve=True)
    assert "hours" in exc.value.message_dict
    assert set(ServiceRecord.objects.values_list("status", flat=True)) == {RecordStatus.PENDING}
