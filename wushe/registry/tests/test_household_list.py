"""The household list (户): the generic list page with its export, scoped, named by the head
(masked number), with its address, registered members, ledger colours and the columns other apps
add; filtered by community or grid and the head's name; an ID number never searched in a URL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import PersonFactory
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.registry import services
from wushe.registry.household_columns import (
    HouseholdColumn,
    register_household_column,
    unregister_household_column,
)
from wushe.registry.models import Household

pytestmark = pytest.mark.django_db

URL = "registry:household_list"


def html(response: Any) -> str:
    return response.content.decode()


def listed(response: Any) -> list[int]:
    return [h.pk for h in response.context["page_obj"].object_list]


def xlsx_rows(response: Any) -> list[list[Any]]:
    data = response.getvalue()
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


@pytest.fixture
def family(person_a: Any) -> Household:
    household = services.household_create(acting_user=None, head=person_a, address="幸福路1号")
    spouse = PersonFactory(name="祝王氏", region=person_a.region, category=4)  # 肢体: blue
    services.household_add_member(acting_user=None, household=household, person=spouse, relation="spouse")
    return Household.objects.get(pk=household.pk)


@pytest.fixture
def sibling(person_b: Any) -> Household:
    return services.household_create(acting_user=None, head=person_b, address="乙路2号")


def test_the_list_names_each_household_by_its_head_with_members_and_colours(
    users: Any, person_a: Any, family: Household, sibling: Household
) -> None:
    response = login(users.worker_a).get(reverse(URL))
    page = html(response)
    assert response.status_code == 200
    assert listed(response) == [family.pk]  # 乙社区's household is out of scope
    assert "祝长连" in page and person_a.id_masked in page and "幸福路1号" in page
    assert person_a.id_number not in page and "李四" not in page
    row = response.context["page_obj"].object_list[0]
    assert row.active_members == 2
    assert [c for c, _label in row.ledger_colours] == ["red", "blue"]  # the ledger's order
    assert "ledger-red" in page and "ledger-blue" in page
    assert reverse("registry:household_detail", args=[family.pk]) in page


def test_the_street_sees_both_communities_and_filters_by_community_or_grid(
    tree: Any, users: Any, family: Household, sibling: Household
) -> None:
    client = login(users.street_admin)
    assert sorted(listed(client.get(reverse(URL)))) == sorted([family.pk, sibling.pk])
    assert listed(client.get(reverse(URL), {"region": tree.grid_a.code})) == [family.pk]
    assert listed(client.get(reverse(URL), {"region": tree.community_b.code})) == [sibling.pk]
    # a region out of scope is not a choice: the form is invalid and the list its default
    worker = login(users.worker_a)
    response = worker.get(reverse(URL), {"region": tree.community_b.code})
    assert response.context["form"].errors and listed(response) == [family.pk]


def test_search_by_the_heads_name_or_pinyin(users: Any, person_a: Any, family: Household) -> None:
    client = login(users.worker_a)
    other = PersonFactory(name="王五", region=person_a.region)
    theirs = services.household_create(acting_user=None, head=other)
    assert listed(client.get(reverse(URL), {"q": "祝长"})) == [family.pk]
    assert listed(client.get(reverse(URL), {"q": "zcl"})) == [family.pk]
    assert listed(client.get(reverse(URL), {"q": "王五"})) == [theirs.pk]


def test_a_number_in_the_url_is_refused_and_never_carried_to_the_export(
    users: Any, person_a: Any, family: Household
) -> None:
    client = login(users.worker_a)
    # a whole ID number never reaches the view (core.middleware.SensitiveQueryMiddleware)
    whole = client.get(reverse(URL), {"q": person_a.id_number})
    assert whole.status_code == 303 and person_a.id_number not in whole["Location"]
    # part of a phone number does: the form refuses it, and the export link leaves it out
    partial = "13812345"
    response = client.get(reverse(URL), {"q": partial, "region": ""})
    assert response.context["form"].errors["q"]
    export_link = reverse("registry:household_export")
    assert "q" not in response.context["params"] and f"{export_link}?q=" not in html(response)
    export = client.get(reverse("registry:household_export"), {"q": partial})
    assert export.status_code == 302 and partial not in export["Location"]
    assert not AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).exists()


def test_households_without_a_registered_member_only_on_request(
    tree: Any, users: Any, family: Household
) -> None:
    alone = PersonFactory(name="独居者", region=tree.grid_a)
    empty = services.household_create(acting_user=None, head=alone, address="空户路3号")
    services.person_deregister(acting_user=None, person=alone, status="moved", note="迁出")
    client = login(users.worker_a)
    assert empty.pk not in listed(client.get(reverse(URL)))
    assert empty.pk in listed(client.get(reverse(URL), {"all": "on"}))


def test_the_export_is_the_pages_records_with_its_columns_and_an_access_event(
    tree: Any, users: Any, person_a: Any, family: Household, sibling: Household
) -> None:
    response = login(users.street_admin).get(
        reverse("registry:household_export"), {"region": tree.grid_a.code}
    )
    assert response.status_code == 200
    rows = xlsx_rows(response)
    text = repr(rows)
    assert "祝长连" in text and "幸福路1号" in text and "李四" not in text and "乙路2号" not in text
    assert person_a.id_number not in text
    header = next(r for r in rows if "住址" in r)
    assert "在册成员" in header and "台账颜色" in header
    line = next(r for r in rows if "幸福路1号" in r)
    assert 2 in line and "红色、蓝色" in line
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.detail["export"] == "households" and event.detail["filters"]["region"] == tree.grid_a.code


def test_export_needs_the_export_permission(users: Any, family: Household) -> None:
    assert login(users.nobody).get(reverse("registry:household_export")).status_code == 403
    assert login(users.nobody).get(reverse(URL)).status_code == 403


def test_a_registered_column_is_shown_and_exported_in_one_query_per_page(
    tree: Any, users: Any, person_a: Any, family: Household
) -> None:
    calls: list[list[int]] = []

    def values(ids: Any) -> dict[int, Any]:
        calls.append(list(ids))
        return {pk: "第一户" for pk in ids if pk == family.pk}

    register_household_column(HouseholdColumn(key="test_mark", label="测试列", values=values))
    try:
        for n in range(4):
            head = PersonFactory(name=f"户主{n}", region=tree.grid_a)
            services.household_create(acting_user=None, head=head)
        client = login(users.worker_a)
        client.get(reverse(URL))  # warm the session and the region caches
        calls.clear()
        with CaptureQueriesContext(connection) as first:
            page = html(client.get(reverse(URL)))
        assert "测试列" in page and "第一户" in page and len(calls) == 1
        more = PersonFactory(name="户主9", region=tree.grid_a)
        services.household_create(acting_user=None, head=more)
        with CaptureQueriesContext(connection) as second:
            client.get(reverse(URL))
        assert len(second.captured_queries) == len(first.captured_queries)  # not one per household
        rows = xlsx_rows(client_export := login(users.street_admin).get(reverse("registry:household_export")))
        assert client_export.status_code == 200
        assert "测试列" in next(r for r in rows if "住址" in r)
    finally:
        unregister_household_column("test_mark")


def test_the_menu_offers_the_household_list_beside_the_persons(users: Any) -> None:
    page = html(login(users.worker_a).get(reverse("registry:person_list")))
    assert reverse(URL) in page
