"""A need's referral shares the resident's contact with the organization: a Sharing record with
its purpose and impact assessment, in the same transaction (PIPL art. 55)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.fixtures import login
from tests.outreach_factories import outreach_in
from tests.support import api
from wushe.consent.models import Sharing
from wushe.needs import services
from wushe.needs.models import Referral

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_accepting_a_suggestion_records_the_sharing_with_the_defaults(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    services.need_accept(acting_user=users.worker_a, need=o.need, resource=o.resource)
    sharing = Sharing.objects.get()
    referral = Referral.objects.get(need=o.need)
    assert sharing.person == o.household.head and sharing.organization == o.org
    assert sharing.kinds == ",contact," and sharing.shared_by == users.worker_a
    assert o.org.name in sharing.purpose and sharing.impact
    assert str(referral.pk) in sharing.source


def test_referring_by_hand_through_the_api_names_purpose_and_assessment(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    r = api(users.worker_a).post(
        f"/api/v1/needs/{o.need.pk}/refer",
        {"organization": o.org.pk, "reason": "建议都不合适", "purpose": "上门助浴", "impact": "仅提供电话"},
        content_type=JSON,
    )
    assert r.status_code == 200, r.content
    sharing = Sharing.objects.get()
    assert (sharing.purpose, sharing.impact) == ("上门助浴", "仅提供电话")


def test_the_referral_form_offers_the_defaults_and_writes_them(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    client = login(users.worker_a)
    url = reverse("needs:need_refer", args=[o.need.pk])
    page = client.get(url).content.decode()
    assert "个人信息保护影响评估" in page and "仅向承接机构提供居民姓名" in page
    r = client.post(url, {"organization": str(o.org.pk), "reason": "就近", "purpose": "", "impact": "影响小"})
    assert r.status_code == 302, r.content.decode()[:2000]
    sharing = Sharing.objects.get()
    assert sharing.impact == "影响小" and o.org.name in sharing.purpose


def test_a_failed_referral_records_no_sharing(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    r = api(users.worker_a).post(
        f"/api/v1/needs/{o.need.pk}/refer", {"organization": o.org.pk, "reason": ""}, content_type=JSON
    )
    assert r.status_code == 422
    assert not Sharing.objects.exists()
