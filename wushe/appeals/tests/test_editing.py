"""Correcting what was registered of a request: by the studio it came to or the region's
workers, with history; never by the unit it was referred to; never once archived."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.factories import UserFactory
from wushe.accounts.roles import Role
from wushe.accounts.services import api_token_issue
from wushe.appeals import editing, services
from wushe.appeals.models import Appeal

pytestmark = pytest.mark.django_db


def _appeal(studio: Any, user: Any) -> Appeal:
    return services.appeal_register(
        acting_user=user, studio=studio, channel="walk_in", category="help", content="轮椅坏了",
        requester_name="王大爷", requester_phone="13812345678",
    )  # fmt: skip


def test_the_studio_corrects_the_registration_with_history(studio: Any, unit: Any) -> None:
    studio_user = UserFactory(role=Role.STUDIO, organization=studio.organization)
    appeal = _appeal(studio, studio_user)
    editing.appeal_update(
        acting_user=studio_user, appeal=appeal, reason="记错类别", category="complaint",
        requester_name=" 王 大 爷 ", requester_phone="13900000000", content="轮椅坏了，多次报修未果",
    )  # fmt: skip
    appeal.refresh_from_db()
    assert (appeal.category, appeal.requester_name) == ("complaint", "王大爷")
    assert appeal.requester_phone == "13900000000" and appeal.requester_phone_masked == "139****0000"
    last = appeal.history.first()
    assert last.history_user == studio_user and last.history_change_reason == "记错类别"
    assert not hasattr(last, "requester_phone")  # the full phone stays out of the history
    with pytest.raises(ValidationError) as exc:
        editing.appeal_update(acting_user=studio_user, appeal=appeal, reason="x", category="nonsense")
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError):
        editing.appeal_update(acting_user=studio_user, appeal=appeal, reason=" ", content="无说明")


def test_the_unit_it_was_referred_to_does_not_rewrite_it(studio: Any, unit: Any, users: Any) -> None:
    studio_user = UserFactory(role=Role.STUDIO, organization=studio.organization)
    unit_user = UserFactory(role=Role.ORG_STAFF, organization=unit.organization)
    appeal = _appeal(studio, studio_user)
    services.appeal_receive(acting_user=studio_user, appeal=appeal, note="接待")
    services.appeal_refer(acting_user=studio_user, appeal=appeal, unit=unit)
    assert Appeal.objects.visible_to(unit_user).filter(pk=appeal.pk).exists()
    with pytest.raises(PermissionDenied):
        editing.appeal_update(acting_user=unit_user, appeal=appeal, reason="x", content="改写")
    assert login(unit_user).get(reverse("appeals:appeal_edit", args=[appeal.pk])).status_code == 403
    editing.appeal_update(acting_user=users.street_admin, appeal=appeal, reason="补充", content="补充内容")


def test_the_edit_page_and_the_api(studio: Any) -> None:
    studio_user = UserFactory(role=Role.STUDIO, organization=studio.organization)
    appeal = _appeal(studio, studio_user)
    client = login(studio_user)
    url = reverse("appeals:appeal_edit", args=[appeal.pk])
    page = client.get(url).content.decode()
    assert "修改诉求登记" in page and "13812345678" not in page and "138****5678" in page
    data = {"channel": "walk_in", "category": "help", "team": "", "requester_name": "王大爷",
            "requester_phone": "", "content": "轮椅坏了（已核实）", "reason": "核实后补充"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    appeal.refresh_from_db()
    assert (
        appeal.content == "轮椅坏了（已核实）" and appeal.requester_phone == "13812345678"
    )  # blank: unchanged
    assert client.post(url, {**data, "reason": ""}).status_code == 400
    api = Client(headers={"Authorization": f"Bearer {api_token_issue(user=studio_user)}"})
    response = api.patch(
        f"/api/v1/appeals/{appeal.pk}", json.dumps({"reason": "电话", "category": "consult"}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["category"] == "consult"
