"""Issue 14, item 6 for home visits: leaflets and policies per visit are bounded by settings,
refused by the service naming the field and the limit, 422 through the API, shown in the form."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.outreach_factories import household_in, make_visit, units_for
from wushe.accounts.services import api_token_issue
from wushe.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_leaflets_and_policies_per_visit_are_bounded(tree: Any, users: Any, settings: Any) -> None:
    units_for(tree.street, [tree.community_a])
    household = household_in(tree.grid_a)
    for field, value, limit in (("leaflets", 501, "500"), ("policies_explained", 51, "50")):
        over: dict[str, Any] = {field: value}
        with pytest.raises(ValidationError) as exc:
            make_visit(household, acting_user=users.worker_a, **over)
        assert limit in exc.value.message_dict[field][0]
    settings.WUSHE_VISIT_MAX_LEAFLETS = 100
    with pytest.raises(ValidationError) as exc:
        make_visit(household, acting_user=users.worker_a, leaflets=101)
    assert "发放宣传资料（份）须在0到100之间" in exc.value.message_dict["leaflets"][0]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=users.worker_a)}")
    response = client.post(
        "/api/v1/visits",
        {"visited_on": datetime.date(2026, 6, 1).isoformat(), "household": household.pk, "leaflets": 400},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "leaflets"
    assert Visit.objects.count() == 0
    page = (
        login(users.worker_a)
        .get(reverse("visits:visit_create"), {"household": household.pk})
        .content.decode()
    )
    assert 'max="100"' in page and "不超过100" in page
