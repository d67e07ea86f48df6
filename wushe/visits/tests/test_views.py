from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.outreach_factories import count_queries, household_in, make_visit, units_for
from wushe.needs.models import Need, Problem
from wushe.visits.models import Visit

pytestmark = pytest.mark.django_db


def _post(household: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "household": household.pk,
        "visited_on": timezone.localdate().isoformat(),
        "channel": "home",
        "reached": "1",
        "policies_explained": "1",
        "leaflets": "6",
        "services_done": ["cleaning"],
        "needs-TOTAL_FORMS": "2",
        "needs-INITIAL_FORMS": "0",
        "needs-0-category": "rehab",
        "needs-0-description": "需要康复训练",
        "needs-0-urgency": "normal",
        "needs-1-category": "",
        "needs-1-description": "",
        "needs-1-urgency": "normal",
        "problems-TOTAL_FORMS": "2",
        "problems-INITIAL_FORMS": "0",
        "problems-0-description": "饮水管道老化",
        "problems-1-description": "",
    }
    data.update(extra)
    return data


def test_record_a_visit_with_a_need_and_a_problem(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a])
    household = household_in(tree.grid_a)
    client = login(users.worker_a)
    page = client.get(f"/visits/new/?household={household.pk}")
    body = page.content.decode()
    assert page.status_code == 200
    for legend in ("敲开家门", "服务上门", "政策进门", "打开心门", "找准窍门", "聆听心声"):
        assert f">{legend}</legend>" in body
    response = client.post("/visits/new/", _post(household))
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get()
    assert visit.leaflets == 6 and Need.objects.get().visit == visit and Problem.objects.get().visit == visit


@pytest.mark.parametrize(
    ("extra", "label"),
    [
        ({"leaflets": "-3"}, "发放宣传资料（份）"),
        ({"visited_on": "2999-01-01"}, "走访日期"),
        ({"reached": "0"}, "未入户原因"),
        ({"needs-0-description": ""}, "需求描述"),
        ({"needs-0-category": "nonsense"}, "需求类别"),
    ],
)
def test_bad_visit_form_names_the_field_and_writes_nothing(
    tree: Any, users: Any, extra: dict[str, str], label: str
) -> None:
    units_for(tree.street)
    household = household_in(tree.grid_a)
    response = login(users.worker_a).post("/visits/new/", _post(household, **extra))
    assert response.status_code == 200
    body = response.content.decode()
    assert "没有保存" in body and label in body
    assert Visit.objects.count() == 0 and Need.objects.count() == 0 and Problem.objects.count() == 0


def test_visit_form_for_a_household_out_of_scope_is_404(tree: Any, users: Any) -> None:
    household = household_in(tree.grid_b)
    assert login(users.worker_a).get(f"/visits/new/?household={household.pk}").status_code == 404


def test_visit_list_and_coverage_queries_are_bounded(
    tree: Any, users: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(users.street_admin)
    for i in range(3):
        make_visit(household_in(tree.grid_a), day=timezone.localdate() - datetime.timedelta(days=100 + i))
    first = Visit.objects.first()
    assert first is not None
    urls = ("/visits/", "/visits/coverage/", f"/visits/{first.pk}/")
    client.get("/visits/")  # warm the session and the permission caches
    small = {u: count_queries(client, u) for u in urls}
    for i in range(8):
        make_visit(household_in(tree.grid_b), day=timezone.localdate() - datetime.timedelta(days=120 + i))
    assert {u: count_queries(client, u) for u in urls} == small
    with django_assert_max_num_queries(16):
        client.get("/visits/coverage/")
