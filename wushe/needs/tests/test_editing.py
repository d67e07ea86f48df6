"""Correcting a need's recorded fields: by those who may record needs in its region, with
history; the status is not an edit (it moves by steps)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.factories import UserFactory
from tests.outreach_factories import outreach_in
from wushe.accounts.roles import Role
from wushe.accounts.services import api_token_issue
from wushe.needs import editing
from wushe.needs.models import NeedStatus

pytestmark = pytest.mark.django_db


def test_a_need_is_corrected_with_history_and_its_status_kept(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    need = o.need
    editing.need_update(
        acting_user=users.worker_a,
        need=need,
        reason="类别记错",
        category="employment",
        description="想找工作",
    )
    need.refresh_from_db()
    assert need.category.code == "employment" and need.description == "想找工作"
    assert need.status == NeedStatus.ASSESS and need.steps.count() == 1  # no step for an edit
    last = need.history.first()
    assert last.history_user == users.worker_a and last.history_change_reason == "类别记错"
    with pytest.raises(ValidationError) as exc:
        editing.need_update(
            acting_user=users.worker_a,
            need=need,
            reason="x",
            deadline=need.reported_on - datetime.timedelta(days=1),
        )
    assert "deadline" in exc.value.message_dict
    with pytest.raises(ValidationError):
        editing.need_update(acting_user=users.worker_b, need=need, reason="x", description="越界")
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    with pytest.raises(PermissionDenied):
        editing.need_update(acting_user=staff, need=need, reason="x", description="机构改写")
    need.refresh_from_db()
    assert need.description == "想找工作"


def test_the_edit_page_and_the_api(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = login(users.worker_a)
    url = reverse("needs:need_edit", args=[o.need.pk])
    assert "修改需求" in client.get(reverse("needs:need_detail", args=[o.need.pk])).content.decode()
    page = client.get(url).content.decode()
    assert "修改说明" in page and o.need.description in page
    data = {
        "category": "rehab", "description": "需要上门康复训练", "urgency": "urgent",
        "reported_on": o.need.reported_on.isoformat(), "responsible_person": "张社工",
        "deadline": o.need.deadline.isoformat(), "reason": "补充",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    o.need.refresh_from_db()
    assert (o.need.description, o.need.urgency, o.need.responsible_person) == (
        "需要上门康复训练",
        "urgent",
        "张社工",
    )
    assert login(users.leader).get(url).status_code == 403
    assert login(users.worker_b).get(url).status_code == 404
    api = Client(headers={"Authorization": f"Bearer {api_token_issue(user=users.worker_a)}"})
    response = api.patch(
        f"/api/v1/needs/{o.need.pk}", json.dumps({"reason": "精简", "description": "康复训练"}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["description"] == "康复训练"
