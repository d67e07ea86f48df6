"""Correcting a training, an award or an evaluation on a volunteer's record: through
``records.volunteer_entry_update`` (who may add one may correct it, the reason in the change
history), its page and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.support import api, fields_in
from wushe.volunteers import records, services
from wushe.volunteers.models import Volunteer, VolunteerEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=3)
JSON = "application/json"


def _volunteer(team: Any, name: str = "李志愿") -> Volunteer:
    return services.volunteer_create(
        acting_user=None, team=team, name=name, joined_on=TODAY - datetime.timedelta(days=60)
    )


def _training(team: Any, v: Volunteer) -> VolunteerEntry:
    return records.volunteer_entry_add(
        acting_user=team.leader, volunteer=v, kind="training", on=DAY, title="助残服务培训", hours="4"
    )


def test_an_entry_is_corrected_with_the_reason_in_its_history(team: Any, users: Any) -> None:
    entry = _training(team, _volunteer(team))
    records.volunteer_entry_update(
        acting_user=users.street_admin, entry=entry, reason="时长登记错了", hours="2.5", issuer="市西街道"
    )
    entry.refresh_from_db()
    assert (entry.hours, entry.issuer, entry.title) == (Decimal("2.5"), "市西街道", "助残服务培训")
    last = entry.history.first()
    assert last is not None and last.history_user == users.street_admin
    assert last.history_change_reason == "时长登记错了"
    # an evaluation needs its grade; a training that becomes an award keeps no hours
    with pytest.raises(ValidationError) as exc:
        records.volunteer_entry_update(
            acting_user=team.leader, entry=entry, reason="改类别", kind="evaluation"
        )
    assert "grade" in exc.value.message_dict
    records.volunteer_entry_update(acting_user=team.leader, entry=entry, reason="其实是表彰", kind="award")
    entry.refresh_from_db()
    assert (entry.kind, entry.hours, entry.grade) == ("award", None, "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"on": TODAY + datetime.timedelta(days=2)}, "on"),
        ({"hours": "0"}, "hours"),
        ({"kind": "medal"}, "kind"),
        ({"grade": "excellent", "kind": "evaluation", "volunteer": 1}, "volunteer"),
    ],
)
def test_a_bad_correction_names_the_field_and_changes_nothing(
    team: Any, changes: dict[str, Any], field: str
) -> None:
    entry = _training(team, _volunteer(team))
    with pytest.raises(ValidationError) as exc:
        records.volunteer_entry_update(acting_user=team.leader, entry=entry, reason="改", **changes)
    assert field in exc.value.message_dict
    entry.refresh_from_db()
    assert (entry.title, entry.on, entry.hours, entry.kind) == ("助残服务培训", DAY, Decimal("4"), "training")
    with pytest.raises(ValidationError) as exc:
        records.volunteer_entry_update(acting_user=team.leader, entry=entry, reason=" ", title="新")
    assert "reason" in exc.value.message_dict


def test_only_the_teams_managers_correct_an_entry(team: Any, other_team: Any, users: Any) -> None:
    entry = _training(team, _volunteer(team))
    with pytest.raises(PermissionDenied):
        records.volunteer_entry_update(acting_user=users.leader, entry=entry, reason="改", title="新")
    with pytest.raises(ValidationError):  # a worker of another community: not in scope
        records.volunteer_entry_update(acting_user=users.worker_b, entry=entry, reason="改", title="新")
    entry.refresh_from_db()
    assert entry.title == "助残服务培训"


def test_the_page_corrects_an_entry(team: Any, users: Any) -> None:
    v = _volunteer(team)
    entry = _training(team, v)
    edit_url = reverse("volunteers:entry_edit", args=[entry.pk])
    leader = login(team.leader)
    detail = leader.get(reverse("volunteers:volunteer_detail", args=[v.pk])).content.decode()
    assert edit_url in detail
    form = leader.get(edit_url)
    assert form.status_code == 200 and "修改培训、表彰或评价" in form.content.decode()
    assert 'value="助残服务培训"' in form.content.decode()
    body = {
        "kind": "training",
        "on": DAY.isoformat(),
        "title": "助残服务进阶培训",
        "hours": "6",
        "reason": "",
    }
    bad = leader.post(edit_url, body)
    assert bad.status_code == 400 and "修改说明" in bad.content.decode()
    done = leader.post(edit_url, {**body, "reason": "名称写错"})
    assert done.status_code == 302 and done["Location"] == reverse("volunteers:volunteer_detail", args=[v.pk])
    entry.refresh_from_db()
    assert (entry.title, entry.hours) == ("助残服务进阶培训", Decimal("6"))
    # the read-only leader sees the record, is offered no correction and is refused one
    viewer = login(users.leader)
    assert edit_url not in viewer.get(reverse("volunteers:volunteer_detail", args=[v.pk])).content.decode()
    assert viewer.get(edit_url).status_code == 403
    assert login(users.worker_b).get(edit_url).status_code == 404


def test_the_api_corrects_an_entry_and_lists_them(team: Any, users: Any) -> None:
    v = _volunteer(team)
    entry = _training(team, v)
    client = api(team.leader)
    url = f"/api/v1/volunteers/entries/{entry.pk}"
    detail = client.get(f"/api/v1/volunteers/{v.pk}").json()
    assert [(e["id"], e["kind"], e["hours"]) for e in detail["entries"]] == [(entry.pk, "training", "4.0")]
    no_reason = client.patch(url, {"title": "x"}, content_type=JSON)
    assert no_reason.status_code == 422 and fields_in(no_reason) == {"reason"}
    empty = client.patch(url, {"reason": "改", "title": None}, content_type=JSON)
    assert empty.status_code == 422 and fields_in(empty) == {"title"}
    ok = client.patch(url, {"reason": "等次补录", "kind": "evaluation", "grade": "good"}, content_type=JSON)
    assert ok.status_code == 200, ok.content
    assert (ok.json()["kind"], ok.json()["grade"], ok.json()["hours"]) == ("evaluation", "good", None)
    assert api(users.leader).patch(url, {"reason": "改", "title": "x"}, content_type=JSON).status_code == 403
    assert (
        api(users.worker_b).patch(url, {"reason": "改", "title": "x"}, content_type=JSON).status_code == 404
    )
    assert Client().patch(url, {}, content_type=JSON).status_code == 401
