"""The household endpoints: list and one household with its members, opening one, adding,
moving, naming a head, correcting a relation and recording a member leaving — scoped like the
persons, through the services (history naming the caller), errors naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PersonFactory
from wushe.registry import services
from wushe.registry.models import Household, HouseholdChangeKind, Person

from .test_api import Api, fields_in

pytestmark = pytest.mark.django_db


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


@pytest.fixture
def family(person_a: Any) -> Household:
    household = services.household_create(acting_user=None, head=person_a, address="幸福路1号")
    services.household_add_member(
        acting_user=None,
        household=household,
        person=PersonFactory(name="祝王氏", region=person_a.region),
        relation="spouse",
    )
    return household


def test_list_and_detail_name_the_household_and_stay_in_scope(
    users: Any, person_a: Any, person_b: Any, family: Household
) -> None:
    foreign = services.household_create(acting_user=None, head=person_b)
    api = Api(users.worker_a)
    listed = api.get("/households").json()
    assert [h["name"] for h in listed["items"]] == ["祝长连户"]
    assert listed["items"][0]["head"] == person_a.pk and listed["items"][0]["active_members"] == 2
    assert api.get("/households", q="zcl").json()["count"] == 1
    assert api.get("/households", q="李四").json()["count"] == 0  # 乙社区: not in scope
    assert api.get("/households", q=person_a.id_number).status_code == 422  # never in a URL
    one = api.get(f"/households/{family.pk}").json()
    assert one["name"] == "祝长连户" and one["address"] == "幸福路1号"
    assert [(m["name"], m["relation"]) for m in one["members"]] == [("祝长连", "head"), ("祝王氏", "spouse")]
    assert (
        one["members"][0]["id_number"] == person_a.id_masked and one["members"][0]["ledger_colour"] == "red"
    )
    assert person_a.id_number not in api.get(f"/households/{family.pk}").content.decode()
    assert api.get(f"/households/{foreign.pk}").status_code == 404
    # a person's record names its household
    assert api.get(f"/persons/{person_a.pk}").json()["household_name"] == "祝长连户"


def test_the_list_reads_a_fixed_number_of_queries(users: Any, tree: Any, family: Household) -> None:
    api = Api(users.worker_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/households").status_code == 200
        return len(ctx.captured_queries)

    count()  # the token's last use is written once in a while: not part of the list
    few = count()
    for _ in range(5):
        services.household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    assert count() == few


def test_open_add_move_head_relation_leave(tree: Any, users: Any, person_a: Any, family: Household) -> None:
    api = Api(users.worker_a)
    head = PersonFactory(name="钱多", region=tree.grid_a)
    opened = api.post("/households", {"head": head.pk, "note": "新建"})
    assert opened.status_code == 201 and opened.json()["name"] == "钱多户"
    other = opened.json()["id"]

    newcomer = PersonFactory(name="祝小宝", region=tree.grid_a)
    added = api.post(f"/households/{family.pk}/members", {"person": newcomer.pk, "relation": "child"})
    assert added.status_code == 200 and "祝小宝" in [m["name"] for m in added.json()["members"]]
    assert fresh(newcomer).history.first().history_user == users.worker_a

    moved = api.post(
        f"/households/{family.pk}/members/{newcomer.pk}/move", {"household": other, "relation": "grandchild"}
    )
    assert moved.status_code == 200 and moved.json()["id"] == other
    assert fresh(newcomer).household_id == other
    assert (
        Household.objects.get(pk=other).changes.order_by("-id").first().kind == HouseholdChangeKind.MOVED_IN  # type: ignore[union-attr]
    )

    relation = api.patch(f"/households/{other}/members/{newcomer.pk}", {"relation": "child"})
    assert relation.status_code == 200 and fresh(newcomer).relation_to_head == "child"

    spouse = family.members.get(relation_to_head="spouse")
    made = api.post(f"/households/{family.pk}/head", {"person": spouse.pk, "former_head_relation": "spouse"})
    assert made.status_code == 200 and made.json()["name"] == "祝王氏户"

    left = api.post(f"/households/{other}/members/{newcomer.pk}/leave", {"note": "分户"})
    assert left.status_code == 200 and fresh(newcomer).household_id is None


def test_errors_name_the_field_and_scope_holds(
    tree: Any, users: Any, person_a: Any, person_b: Any, family: Household
) -> None:
    api = Api(users.worker_a)
    foreign = services.household_create(acting_user=None, head=person_b)
    loner = PersonFactory(region=tree.grid_a)
    assert fields_in(api.post("/households", {"head": person_a.pk})) == {"head"}  # already heads one
    assert fields_in(api.post("/households", {"head": person_b.pk})) == {"head"}  # out of scope
    bad = api.post(f"/households/{family.pk}/members", {"person": loner.pk, "relation": "head"})
    assert bad.status_code == 422 and fields_in(bad) == {"relation"}
    assert (
        api.post(f"/households/{foreign.pk}/members", {"person": loner.pk, "relation": "child"}).status_code
        == 404
    )
    # a person not of the household is not one of its members
    assert api.post(f"/households/{family.pk}/members/{loner.pk}/leave", {"note": "x"}).status_code == 404
    assert api.post(f"/households/{family.pk}/members/{person_a.pk}/leave", {"note": ""}).status_code == 422
    spouse = family.members.get(relation_to_head="spouse")
    into_foreign = api.post(
        f"/households/{family.pk}/members/{spouse.pk}/move", {"household": foreign.pk, "relation": "other"}
    )
    assert into_foreign.status_code == 422 and fields_in(into_foreign) == {"household"}
    assert fresh(spouse).household_id == family.pk
    # a reader may look, not change
    leader = Api(users.leader)
    assert leader.get(f"/households/{family.pk}").status_code == 200
    assert (
        leader.post(f"/households/{family.pk}/members", {"person": loner.pk, "relation": "child"}).status_code
        == 403
    )
