"""Acting for a unit is the unit's, and the 12345 closed loop: only the referred unit's members
or its supervisors do 处理; the page says who acts next; 督办 of an overdue request; 回访 the
working day after closing; the receipt says where to ask about the number."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import OrganizationFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.appeals import selectors, services
from wushe.appeals.models import AppealSupervision, ReturnOutcome
from wushe.partners.models import OrganizationKind
from wushe.partners.services import responsibility_unit_create
from wushe.partners.units import acts_for_unit, who_acts_for

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 9) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def _referred(studio: Any, person: Any, unit: Any, when: datetime.datetime | None = None) -> Any:
    appeal = services.appeal_register(
        acting_user=None, studio=studio, channel="walk_in", category="help", content="楼道灯坏了",
        person=person, at=when,
    )  # fmt: skip
    services.appeal_receive(acting_user=None, appeal=appeal, note="接待", at=when)
    return services.appeal_refer(acting_user=None, appeal=appeal, unit=unit, at=when)


def _closed(appeal: Any, when: datetime.datetime) -> Any:
    services.appeal_handle(acting_user=None, appeal=appeal, resolution="已修好", resolved=True, at=when)
    services.appeal_feedback(
        acting_user=None, appeal=appeal, feedback="告知", satisfaction="satisfied", at=when
    )
    return services.appeal_archive(acting_user=None, appeal=appeal, at=when)


def test_only_the_units_members_or_supervisors_handle(
    tree: Any, studio: Any, unit: Any, person_a: Any, users: Any
) -> None:
    appeal = _referred(studio, person_a, unit)
    staff = UserFactory(role=Role.ORG_STAFF, organization=unit.organization)
    other_staff = UserFactory(role=Role.ORG_STAFF, organization=OrganizationFactory(region=tree.street))
    assert acts_for_unit(staff, unit) and acts_for_unit(users.street_admin, unit)
    assert not acts_for_unit(users.worker_a, unit) and not acts_for_unit(other_staff, unit)
    detail = reverse("appeals:appeal_detail", args=[appeal.pk])
    step = reverse("appeals:appeal_step", args=[appeal.pk])
    handle = {"step": "handle", "resolution": "已维修", "resolved": "on"}
    # a social worker in scope sees the request and who must act, but not the form, and cannot act
    worker = login(users.worker_a)
    page = worker.get(detail).content.decode()
    assert f"由 {unit.name}的工作人员（或街道督导） 办理" in page and 'name="resolution"' not in page
    assert worker.post(step, handle).status_code == 403
    appeal.refresh_from_db()
    assert appeal.step == "refer"
    member = login(staff)
    assert 'name="resolution"' in member.get(detail).content.decode()
    assert member.post(step, handle).status_code == 302
    appeal.refresh_from_db()
    assert appeal.step == "handle" and appeal.steps.get(step="handle").by == staff


def test_an_office_units_members_are_granted_on_its_region(
    tree: Any, studio: Any, person_a: Any, users: Any
) -> None:
    substation = responsibility_unit_create(
        acting_user=None, region=tree.community_a, kind="substation", name="甲社区社工分站"
    )
    grid_worker = UserFactory(role=Role.SOCIAL_WORKER, region=tree.grid_a)
    community_staff = UserFactory(role=Role.COMMUNITY_STAFF, region=tree.community_a)
    assert acts_for_unit(users.worker_a, substation) and acts_for_unit(community_staff, substation)
    assert acts_for_unit(users.street_admin, substation)  # the street's supervisor
    assert not acts_for_unit(grid_worker, substation) and not acts_for_unit(users.worker_b, substation)
    assert not acts_for_unit(users.leader, substation)
    appeal = _referred(studio, person_a, substation)
    with pytest.raises(PermissionDenied):
        services.appeal_handle(acting_user=grid_worker, appeal=appeal, resolution="x", resolved=True)
    services.appeal_handle(acting_user=users.worker_a, appeal=appeal, resolution="已协调", resolved=True)
    assert who_acts_for(substation) == "甲社区社工分站（甲社区的社工、社区工作人员，或街道督导）"


def test_the_page_says_who_acts_next(studio: Any, unit: Any, person_a: Any) -> None:
    appeal = services.appeal_register(
        acting_user=None, studio=studio, channel="walk_in", category="help", content="x", person=person_a
    )
    assert selectors.next_actor(appeal) == studio.organization.name  # 接待 at the studio
    appeal = _referred(studio, person_a, unit, at(2026, 11, 2))
    assert unit.name in selectors.next_actor(appeal) and "督导" in selectors.next_actor(appeal)
    appeal = _closed(appeal, at(2026, 11, 6))
    assert "回访" in selectors.next_actor(appeal)


def test_the_street_supervises_an_overdue_request(studio: Any, unit: Any, person_a: Any, users: Any) -> None:
    late = _referred(studio, person_a, unit, at(2026, 11, 2))  # 处理 due 2026-11-09
    fresh = _referred(studio, person_a, unit)
    with pytest.raises(PermissionDenied):
        services.appeal_supervise(acting_user=users.worker_a, appeal=late, note="抓紧")
    with pytest.raises(ValidationError) as exc:
        services.appeal_supervise(acting_user=users.street_admin, appeal=fresh, note="抓紧")
    assert "appeal" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.appeal_supervise(acting_user=users.street_admin, appeal=late, note=" ")
    assert "note" in exc.value.message_dict
    client = login(users.street_admin)
    detail = reverse("appeals:appeal_detail", args=[late.pk])
    assert "督办（逾期未办）" in client.get(detail).content.decode()
    posted = client.post(reverse("appeals:appeal_supervise", args=[late.pk]), {"note": "请三日内办结"})
    assert posted.status_code == 302
    record = AppealSupervision.objects.get(appeal=late)
    assert record.by == users.street_admin and record.step == "handle"
    assert (
        record.due_on == datetime.date(2026, 11, 9)
        and timezone.localtime(record.at).date() == timezone.localdate()
    )
    page = client.get(detail).content.decode()
    assert "督办记录" in page and "请三日内办结" in page and "已督办 1 次" in page
    assert f"<title>{late.number}" in page and page.count('id="supervise-title"') == 1
    listed = client.get(reverse("appeals:appeal_list"), {"overdue": "on"}).content.decode()
    assert late.number in listed and "1 次，最近" in listed
    # a worker sees the record but has no 督办 form
    assert "督办（逾期未办）" not in login(users.worker_a).get(detail).content.decode()


def test_the_return_call_is_due_the_working_day_after_closing(
    studio: Any, unit: Any, person_a: Any, users: Any
) -> None:
    services.calendar_day_set(acting_user=None, date=datetime.date(2026, 11, 9), working=False, name="假日")
    appeal = _referred(studio, person_a, unit, at(2026, 11, 2))
    with pytest.raises(ValidationError):
        services.appeal_return_call(acting_user=None, appeal=appeal, outcome=ReturnOutcome.CONFIRMED)
    appeal = _closed(appeal, at(2026, 11, 6))  # a Friday; Monday the 9th is a holiday
    assert appeal.return_call_due_on == datetime.date(2026, 11, 10)
    client = login(users.worker_a)
    due = client.get(reverse("appeals:appeal_list"), {"return_due": "on"}).content.decode()
    assert appeal.number in due
    assert list(selectors.return_calls_due(selectors.appeal_list(user=users.worker_a))) == [appeal]
    assert not selectors.return_calls_due(
        selectors.appeal_list(user=users.worker_a), on=datetime.date(2026, 11, 9)
    ).exists()
    return_url = reverse("appeals:appeal_return_call", args=[appeal.pk])
    assert client.post(return_url, {"outcome": "unreachable"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.return_call_done_at is None  # still due
    bad = client.post(return_url, {"outcome": "unreachable", "satisfaction": "satisfied"})
    assert bad.status_code == 400
    ok = client.post(return_url, {"outcome": "confirmed", "satisfaction": "satisfied", "note": "灯已亮"})
    assert ok.status_code == 302
    appeal.refresh_from_db()
    assert appeal.return_call_done_at is not None
    calls = selectors.appeal_return_calls(appeal)
    assert [c.outcome for c in calls] == ["unreachable", "confirmed"] and calls[1].by == users.worker_a
    assert (
        appeal.number not in client.get(reverse("appeals:appeal_list"), {"return_due": "on"}).content.decode()
    )
    with pytest.raises(ValidationError):
        services.appeal_return_call(acting_user=None, appeal=appeal, outcome=ReturnOutcome.CONFIRMED)
    page = client.get(reverse("appeals:appeal_detail", args=[appeal.pk])).content.decode()
    assert "问题已解决，居民认可" in page and "已回访" in page


def test_the_receipt_says_where_to_ask(tree: Any, users: Any, person_a: Any) -> None:
    from wushe.appeals.services import studio_create
    from wushe.partners.services import organization_create

    org = organization_create(
        acting_user=None, region=tree.community_a, kind=OrganizationKind.STUDIO, name="甲社区代表委员工作室",
        contact_phone="0543-3211234", address="甲社区党群服务中心二楼",
    )  # fmt: skip
    studio = studio_create(acting_user=None, organization=org)
    client = login(users.worker_a)
    created = client.post(
        reverse("appeals:appeal_create"),
        {"studio": str(studio.pk), "channel": "walk_in", "category": "consult", "content": "咨询补贴",
         "requester_name": "赵大娘"},
        follow=True,
    )  # fmt: skip
    page = created.content.decode()
    assert "甲社区代表委员工作室（电话 0543-3211234，地址 甲社区党群服务中心二楼）" in page
    appeal = studio.appeals.get()
    receipt = client.get(reverse("appeals:appeal_receipt", args=[appeal.pk])).content.decode()
    assert appeal.number in receipt and "0543-3211234" in receipt and "甲社区党群服务中心二楼" in receipt
    # outside a studio: the nearest office unit with a phone answers
    responsibility_unit_create(
        acting_user=None,
        region=tree.street,
        kind="station",
        name="市西街道社工站",
        contact_phone="0543-1111111",
    )
    walked = services.appeal_register(
        acting_user=None, channel="visit", category="help", content="x", person=person_a
    )
    point = selectors.inquiry_point(walked)
    assert (point.name, point.phone) == ("市西街道社工站", "0543-1111111")
    assert login(users.worker_b).get(reverse("appeals:appeal_receipt", args=[walked.pk])).status_code == 404
