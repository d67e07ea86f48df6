"""The settings pages: configuration written through core.services, audited, CONFIGURE only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from wushe.appeals import calendar
from wushe.appeals.models import CalendarDay, StepLimit
from wushe.core.config import SECTIONS
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.core.services import config_delete, config_save
from wushe.registry.models import PersonTag, Tag
from wushe.registry.services import person_tags_set

pytestmark = pytest.mark.django_db


def test_every_section_the_admin_used_to_hold_has_a_page() -> None:
    assert {"tags", "need-categories", "ledger-colours", "calendar", "step-limits"} <= set(SECTIONS)


def test_a_street_admin_adds_and_changes_a_tag_and_each_write_is_an_access_event(users: Any) -> None:
    section = SECTIONS["tags"]
    tag = config_save(
        acting_user=users.street_admin,
        section=section,
        data={"code": "dibao2", "name": "低保二类", "sort": 3},
    )
    config_save(acting_user=users.street_admin, section=section, data={"name": "低保（二类）"}, instance=tag)
    events = list(AccessEvent.objects.filter(kind=AccessEventKind.CONFIG).order_by("id"))
    assert [e.detail["action"] for e in events] == ["add", "change"]
    assert events[1].detail["before"] == {"name": "低保二类"} and events[1].detail["after"] == {
        "name": "低保（二类）"
    }
    assert events[1].user == users.street_admin and events[1].object_id == str(tag.pk)


def test_a_role_without_configure_is_refused_and_nothing_is_written(users: Any) -> None:
    with pytest.raises(PermissionDenied):
        config_save(acting_user=users.worker_a, section=SECTIONS["tags"], data={"code": "x", "name": "某类"})
    assert not Tag.objects.filter(code="x").exists()
    client = Client()
    client.force_login(users.worker_a)
    assert client.get("/settings/tags/").status_code == 200  # read: the lists the forms offer
    assert client.get("/settings/tags/new/").status_code == 403
    assert client.post("/settings/tags/new/", {"code": "y", "name": "某类"}).status_code == 403
    assert not Tag.objects.filter(code="y").exists()


def test_bad_input_names_the_field_and_a_duplicate_is_refused(users: Any) -> None:
    Tag.objects.create(code="zz-exists", name="测试已有类别")
    count = Tag.objects.count()
    client = Client()
    client.force_login(users.street_admin)
    response = client.post("/settings/tags/new/", {"code": "zz-exists", "name": "另一个名称", "sort": "1"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode() and Tag.objects.count() == count
    response = client.post("/settings/tags/new/", {"code": "bad code!", "name": "某类"})
    assert response.status_code == 200 and "id_code" in response.content.decode()
    assert Tag.objects.count() == count


def test_a_tag_in_use_cannot_be_deleted(users: Any, person_a: Any) -> None:
    tag = Tag.objects.create(code="dibao-use", name="低保在用")
    person_tags_set(acting_user=None, person=person_a, tags=[tag.code])
    with pytest.raises(ValidationError):
        config_delete(acting_user=users.street_admin, section=SECTIONS["tags"], instance=tag)
    assert Tag.objects.filter(pk=tag.pk).exists() and PersonTag.objects.filter(tag=tag).exists()
    unused = Tag.objects.create(code="unused", name="未用")
    client = Client()
    client.force_login(users.street_admin)
    assert client.post(f"/settings/tags/{unused.pk}/delete/").status_code == 302
    assert not Tag.objects.filter(pk=unused.pk).exists()
    assert AccessEvent.objects.filter(kind=AccessEventKind.CONFIG, detail__action="delete").count() == 1


def test_a_calendar_day_changes_the_deadlines_at_once(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    day = datetime.date(2031, 3, 4)  # a Tuesday
    assert calendar.is_working_day(day)
    with django_capture_on_commit_callbacks(execute=True):
        config_save(
            acting_user=users.street_admin,
            section=SECTIONS["calendar"],
            data={"date": day, "working": False, "name": "测试假日"},
        )
    assert CalendarDay.objects.filter(date=day).exists()
    assert not calendar.is_working_day(day)


def test_ledger_colour_rules_cannot_be_deleted(users: Any) -> None:
    from wushe.registry.models import LedgerColourRule

    rule = LedgerColourRule.objects.first() or LedgerColourRule.objects.create(category=1, colour="green")
    with pytest.raises(ValidationError):
        config_delete(acting_user=users.street_admin, section=SECTIONS["ledger-colours"], instance=rule)


def test_a_step_limit_is_bounded_to_a_working_year(users: Any) -> None:
    section = SECTIONS["step-limits"]
    for days in (0, 366, 32767):
        with pytest.raises(ValidationError) as caught:
            config_save(
                acting_user=users.street_admin, section=section, data={"step": "handle", "working_days": days}
            )
        assert "working_days" in caught.value.message_dict
    limit = config_save(
        acting_user=users.street_admin, section=section, data={"step": "handle", "working_days": 5}
    )
    assert isinstance(limit, StepLimit) and limit.working_days == 5
