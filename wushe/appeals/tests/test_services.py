"""The six steps of a request: order, deadlines, who/when/what, satisfaction before archiving."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wushe.appeals import selectors, services
from wushe.appeals.models import Appeal, AppealStep, Step

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 9) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def register(studio: Any, person: Any, when: datetime.datetime | None = None, **kw: Any) -> Appeal:
    return services.appeal_register(
        acting_user=None, studio=studio, channel="walk_in", category="help", content="卫生间无障碍改造", person=person,
        at=when, **kw,
    )  # fmt: skip


def test_a_walk_in_request_goes_through_six_steps(studio: Any, person_a: Any, unit: Any, users: Any) -> None:
    appeal = register(studio, person_a, at(2026, 11, 2))  # a Monday
    assert appeal.number.startswith("SQ2026-") and appeal.region == person_a.region
    assert appeal.requester_name == person_a.name
    assert appeal.due_on == datetime.date(2026, 11, 3)  # 接待 within 1 working day
    services.appeal_receive(acting_user=users.worker_a, appeal=appeal, note="接待", at=at(2026, 11, 2, 10))
    services.appeal_refer(acting_user=users.worker_a, appeal=appeal, unit=unit, at=at(2026, 11, 3))
    assert appeal.due_on == datetime.date(2026, 11, 10)  # 处理 of help: 5 working days
    with pytest.raises(PermissionDenied):  # 处理 is the unit's (an organization's): not the worker's
        services.appeal_handle(
            acting_user=users.worker_a, appeal=appeal, resolution="已改造", resolved=True, at=at(2026, 11, 5)
        )
    services.appeal_handle(
        acting_user=users.street_admin, appeal=appeal, resolution="已改造", resolved=True, at=at(2026, 11, 5)
    )  # the street's supervisor may
    services.appeal_feedback(
        acting_user=users.worker_a, appeal=appeal, feedback="电话告知", at=at(2026, 11, 6)
    )
    with pytest.raises(ValidationError) as exc:
        services.appeal_archive(acting_user=users.worker_a, appeal=appeal, at=at(2026, 11, 6, 11))
    assert "satisfaction" in exc.value.message_dict
    services.appeal_satisfaction_record(
        acting_user=users.worker_a, appeal=appeal, satisfaction="satisfied", at=at(2026, 11, 6, 12)
    )
    services.appeal_archive(acting_user=users.worker_a, appeal=appeal, at=at(2026, 11, 9))
    appeal.refresh_from_db()
    assert appeal.step == Step.ARCHIVE and appeal.due_on is None and appeal.resolved
    steps = list(appeal.steps.order_by("id"))
    assert [s.step for s in steps] == ["register", "receive", "refer", "handle", "feedback", "archive"]
    assert all(s.done_at for s in steps) and steps[1].by == users.worker_a
    rows = selectors.appeal_timeline(appeal)
    assert [r.state for r in rows] == ["done"] * 6
    assert rows[3].due_on == datetime.date(2026, 11, 10)


def test_steps_keep_their_order_and_their_fields(studio: Any, person_a: Any, unit: Any) -> None:
    appeal = register(studio, person_a)
    with pytest.raises(ValidationError) as exc:
        services.appeal_handle(acting_user=None, appeal=appeal, resolution="x", resolved=True)
    assert "step" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.appeal_receive(acting_user=None, appeal=appeal, note=" ")
    assert "note" in exc.value.message_dict
    services.appeal_receive(acting_user=None, appeal=appeal, note="接待")
    with pytest.raises(ValidationError) as exc:
        services.appeal_refer(acting_user=None, appeal=appeal, unit=None)
    assert "unit" in exc.value.message_dict
    assert AppealStep.objects.filter(appeal=appeal, done_at__isnull=False).count() == 2


def test_a_request_left_past_its_deadline_is_overdue(studio: Any, person_a: Any, users: Any) -> None:
    late = register(studio, person_a, at(2026, 11, 2))
    fresh = register(studio, person_a)
    overdue = selectors.appeal_list(user=users.worker_a, filters=selectors.AppealFilters(overdue=True))
    assert list(overdue) == [late]
    rows = selectors.appeal_timeline(late)
    assert rows[1].state == "overdue" and rows[0].state == "done"
    assert selectors.appeal_timeline(fresh)[1].state == "pending"


def test_a_requester_by_name_and_phone(studio: Any) -> None:
    appeal = services.appeal_register(
        acting_user=None, studio=studio, channel="visit", category="consult", content="咨询补贴",
        requester_name="王大爷", requester_phone="13812345678",
    )  # fmt: skip
    assert appeal.region == studio.region and appeal.requester_phone_masked.count("*") >= 4
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT requester_phone FROM appeals_appeal WHERE id = %s", [appeal.pk])
        raw = cursor.fetchone()[0]
    assert "13812345678" not in raw  # encrypted at rest
    with pytest.raises(ValidationError) as exc:
        services.appeal_register(
            acting_user=None, studio=studio, channel="visit", category="consult", content="x"
        )
    assert "requester_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.appeal_register(
            acting_user=None,
            studio=studio,
            channel="visit",
            category="consult",
            content="x",
            requester_name="李",
            requester_phone="12",
        )
    assert "requester_phone" in exc.value.message_dict
    assert Appeal.objects.count() == 1


def test_a_unit_outside_the_region_is_refused(tree: Any, studio: Any, person_a: Any) -> None:
    from wushe.partners.services import responsibility_unit_create

    elsewhere = responsibility_unit_create(
        acting_user=None, region=tree.other_street, kind="civil_affairs", name="彭李民政所"
    )
    appeal = register(studio, person_a)
    services.appeal_receive(acting_user=None, appeal=appeal, note="接待")
    with pytest.raises(ValidationError) as exc:
        services.appeal_refer(acting_user=None, appeal=appeal, unit=elsewhere)
    assert "unit" in exc.value.message_dict


def test_backdating_cannot_go_before_the_previous_step(studio: Any, person_a: Any) -> None:
    appeal = register(studio, person_a, at(2026, 11, 10))
    with pytest.raises(ValidationError) as exc:
        services.appeal_receive(acting_user=None, appeal=appeal, note="接待", at=at(2026, 11, 9))
    assert "at" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.appeal_receive(
            acting_user=None, appeal=appeal, note="接待", at=timezone.now() + datetime.timedelta(days=1)
        )


def test_a_requesters_name_is_normalised_like_the_registrys(studio: Any, users: Any) -> None:
    """登记 stores the name as every other path does (registry.identity.normalise_name), and the
    list's search finds it however it is typed."""
    appeal = services.appeal_register(
        acting_user=None, studio=studio, channel="walk_in", category="help", content="楼道灯坏了",
        requester_name=" 王 小 明 ",
    )  # fmt: skip
    assert appeal.requester_name == "王小明"
    latin = services.appeal_register(
        acting_user=None, studio=studio, channel="walk_in", category="help", content="咨询",
        requester_name="  Ayi   Guli ",
    )  # fmt: skip
    assert latin.requester_name == "Ayi Guli"
    for typed in ("王小明", "王 小明", "王小"):
        found = selectors.appeal_list(user=users.street_admin, filters=selectors.AppealFilters(q=typed))
        assert list(found) == [appeal], typed
    with pytest.raises(ValidationError) as exc:
        services.appeal_register(
            acting_user=None, studio=studio, channel="walk_in", category="help", content="x",
            requester_name="长" * 51,
        )  # fmt: skip
    assert "requester_name" in exc.value.message_dict
