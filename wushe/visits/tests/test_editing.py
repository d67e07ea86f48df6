"""Correcting a recorded visit: checked as a new one, by those who may record visits in its
region, with history naming who and why."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.outreach_factories import household_in, make_visit
from wushe.accounts.services import api_token_issue
from wushe.visits import editing

pytestmark = pytest.mark.django_db


def test_a_visit_is_corrected_with_history(tree: Any, users: Any) -> None:
    visit = make_visit(household_in(tree.grid_a), leaflets=1)
    editing.visit_update(acting_user=users.worker_a, visit=visit, reason="份数记错", leaflets=3, mood="low")
    visit.refresh_from_db()
    assert (visit.leaflets, visit.mood) == (3, "low")
    last = visit.history.first()
    assert last.history_user == users.worker_a and last.history_change_reason == "份数记错"
    with pytest.raises(ValidationError) as exc:  # the same checks as a new visit
        editing.visit_update(acting_user=users.worker_a, visit=visit, reason="x", reached=False)
    assert "not_reached_reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        editing.visit_update(
            acting_user=users.worker_a,
            visit=visit,
            reason="x",
            visited_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    with pytest.raises(ValidationError):
        editing.visit_update(acting_user=users.worker_b, visit=visit, reason="x", leaflets=9)
    with pytest.raises(PermissionDenied):
        editing.visit_update(acting_user=users.leader, visit=visit, reason="x", leaflets=9)
    visit.refresh_from_db()
    assert visit.leaflets == 3


def test_the_edit_page_and_the_api(tree: Any, users: Any) -> None:
    visit = make_visit(household_in(tree.grid_a))
    client = login(users.worker_a)
    assert "修改走访记录" in client.get(reverse("visits:visit_detail", args=[visit.pk])).content.decode()
    url = reverse("visits:visit_edit", args=[visit.pk])
    assert client.get(url).status_code == 200
    data = {
        "visited_on": visit.visited_on.isoformat(), "channel": "phone", "reached": "1",
        "policies_explained": "2", "leaflets": "0", "reason": "实为电话回访",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    visit.refresh_from_db()
    assert visit.channel == "phone" and visit.policies_explained == 2
    assert login(users.leader).get(url).status_code == 403
    api = Client(headers={"Authorization": f"Bearer {api_token_issue(user=users.worker_a)}"})
    response = api.patch(
        f"/api/v1/visits/{visit.pk}",
        json.dumps({"reason": "补记", "leaflets": 4}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["leaflets"] == 4
