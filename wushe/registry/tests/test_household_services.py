"""Households managed one change at a time: add, move, new head, relation, leaving — each with the
persons' change history naming who acted and one ``HouseholdChange`` row; checked for the
capability and the scope; refused with the field at fault, leaving nothing half done."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import PersonFactory
from wushe.core.appendonly import AppendOnlyError
from wushe.registry import services
from wushe.registry.models import Household, HouseholdChange, HouseholdChangeKind, Person, Relation

TODAY = timezone.localdate()


def fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def kinds(household: Household) -> list[tuple[str, str]]:
    return list(household.changes.order_by("id").values_list("kind", "person__name"))


def stored_members(household: Household) -> int:
    return Household.objects.get(pk=household.pk).active_members


@pytest.fixture
def family(tree: Any, users: Any) -> dict[str, Any]:
    head = PersonFactory(name="王大山", region=tree.grid_a)
    household = services.household_create(acting_user=users.worker_a, head=head, note="入户登记")
    spouse = PersonFactory(name="李小花", region=tree.grid_a)
    services.household_add_member(
        acting_user=users.worker_a, household=household, person=spouse, relation=Relation.SPOUSE
    )
    child = PersonFactory(name="王小石", region=tree.grid_a)
    services.household_add_member(
        acting_user=users.worker_a, household=household, person=child, relation=Relation.CHILD
    )
    return {"household": household, "head": head, "spouse": spouse, "child": child}


def test_create_and_add_record_who_and_what(users: Any, family: dict[str, Any]) -> None:
    household = family["household"]
    assert kinds(household) == [
        (HouseholdChangeKind.CREATED, "王大山"),
        (HouseholdChangeKind.JOINED, "李小花"),
        (HouseholdChangeKind.JOINED, "王小石"),
    ]
    created = household.changes.order_by("id").first()
    assert (created.by, created.on, created.note, created.relation) == (
        users.worker_a,
        TODAY,
        "入户登记",
        Relation.HEAD,
    )
    assert fresh(family["spouse"]).history.first().history_user == users.worker_a
    assert stored_members(household) == 3
    assert household.name == "王大山户"


def test_move_a_member_to_another_household(tree: Any, users: Any, family: dict[str, Any]) -> None:
    other = services.household_create(acting_user=None, head=PersonFactory(name="赵一", region=tree.grid_a))
    child = fresh(family["child"])
    services.household_move_member(
        acting_user=users.worker_a,
        person=child,
        household=other,
        relation=Relation.GRANDCHILD,
        note="投靠祖父",
    )
    child = fresh(child)
    assert (child.household_id, child.relation_to_head) == (other.pk, Relation.GRANDCHILD)
    assert stored_members(family["household"]) == 2 and stored_members(other) == 2
    out = family["household"].changes.order_by("-id").first()
    came = other.changes.order_by("-id").first()
    assert (out.kind, out.other_id, out.relation, out.note) == (
        HouseholdChangeKind.MOVED_OUT,
        other.pk,
        Relation.CHILD,
        "投靠祖父",
    )
    assert (came.kind, came.other_id, came.relation, came.by) == (  # type: ignore[union-attr]
        HouseholdChangeKind.MOVED_IN,
        family["household"].pk,
        Relation.GRANDCHILD,
        users.worker_a,
    )
    newest, before = child.history.all()[:2]
    assert (newest.household_id, newest.history_user) == (other.pk, users.worker_a)


def test_a_move_into_another_grid_takes_the_member_there(
    tree: Any, users: Any, family: dict[str, Any]
) -> None:
    elsewhere = services.household_create(acting_user=None, head=PersonFactory(region=tree.grid_b))
    spouse = fresh(family["spouse"])
    # worker_a cannot see 乙社区: the household there is out of scope
    with pytest.raises(ValidationError):
        services.household_move_member(
            acting_user=users.worker_a, person=spouse, household=elsewhere, relation=Relation.OTHER
        )
    services.household_move_member(
        acting_user=users.street_admin, person=spouse, household=elsewhere, relation=Relation.OTHER
    )
    spouse = fresh(spouse)
    assert (spouse.region, spouse.household_id) == (tree.grid_b, elsewhere.pk)


def test_change_the_head(users: Any, family: dict[str, Any]) -> None:
    household = family["household"]
    services.household_change_head(
        acting_user=users.worker_a,
        household=household,
        head=fresh(family["spouse"]),
        former_head_relation=Relation.SPOUSE,
        note="户主去世前变更",
    )
    assert fresh(family["spouse"]).relation_to_head == Relation.HEAD
    assert fresh(family["head"]).relation_to_head == Relation.SPOUSE
    assert Household.objects.get(pk=household.pk).name == "李小花户"
    assert kinds(household)[-2:] == [
        (HouseholdChangeKind.RELATION, "王大山"),
        (HouseholdChangeKind.HEAD, "李小花"),
    ]


def test_set_relation_and_leave(users: Any, family: dict[str, Any]) -> None:
    household = family["household"]
    services.household_set_relation(
        acting_user=users.worker_a, person=fresh(family["child"]), relation=Relation.GRANDCHILD
    )
    assert fresh(family["child"]).relation_to_head == Relation.GRANDCHILD
    # the same relation again changes nothing
    services.household_set_relation(
        acting_user=users.worker_a, person=fresh(family["child"]), relation=Relation.GRANDCHILD
    )
    assert household.changes.filter(kind=HouseholdChangeKind.RELATION).count() == 1
    services.household_remove_member(
        acting_user=users.worker_a, person=fresh(family["child"]), note="分户", on=TODAY
    )
    child = fresh(family["child"])
    assert (child.household_id, child.relation_to_head) == (None, "")
    left = household.changes.order_by("-id").first()
    assert (left.kind, left.note, left.relation) == (HouseholdChangeKind.LEFT, "分户", Relation.GRANDCHILD)
    assert stored_members(household) == 2


def test_the_head_who_leaves_members_behind_names_a_new_head_first(
    tree: Any, users: Any, family: dict[str, Any]
) -> None:
    other = services.household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    head = fresh(family["head"])
    for call in (
        lambda: services.household_remove_member(acting_user=users.worker_a, person=head, note="分户"),
        lambda: services.household_move_member(
            acting_user=users.worker_a, person=head, household=other, relation=Relation.OTHER
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert set(exc.value.message_dict) == {"person"}
    assert fresh(head).household_id == family["household"].pk


def test_refusals_name_the_field_and_change_nothing(
    tree: Any, users: Any, family: dict[str, Any], person_b: Any
) -> None:
    household = family["household"]
    loner = PersonFactory(region=tree.grid_a)
    before = (HouseholdChange.objects.count(), Person.history.count())
    cases: list[tuple[Callable[[], Any], str]] = [
        (
            lambda: services.household_remove_member(
                acting_user=None, person=fresh(family["child"]), note=" "
            ),
            "note",
        ),
        (lambda: services.household_remove_member(acting_user=None, person=loner, note="x"), "person"),
        (
            lambda: services.household_set_relation(
                acting_user=None, person=fresh(family["child"]), relation="x"
            ),
            "relation",
        ),
        (
            lambda: services.household_set_relation(
                acting_user=None, person=fresh(family["head"]), relation=Relation.CHILD
            ),
            "relation",
        ),
        (lambda: services.household_change_head(acting_user=None, household=household, head=loner), "head"),
        (
            lambda: services.household_change_head(
                acting_user=None, household=household, head=fresh(family["head"])
            ),
            "head",
        ),
        (
            lambda: services.household_change_head(
                acting_user=None,
                household=household,
                head=fresh(family["child"]),
                former_head_relation=Relation.HEAD,
            ),
            "relation",
        ),
        (
            lambda: services.household_move_member(
                acting_user=None, person=loner, household=household, relation=Relation.CHILD
            ),
            "person",
        ),
        (
            lambda: services.household_move_member(
                acting_user=None, person=fresh(family["child"]), household=household, relation=Relation.CHILD
            ),
            "household",
        ),
        (
            lambda: services.household_add_member(
                acting_user=None, household=household, person=fresh(family["child"]), relation=Relation.CHILD
            ),
            "person",
        ),
        (
            lambda: services.household_add_member(
                acting_user=None,
                household=household,
                person=loner,
                relation=Relation.CHILD,
                on=TODAY + datetime.timedelta(days=1),
            ),
            "on",
        ),
        (
            lambda: services.household_remove_member(
                acting_user=users.worker_b, person=fresh(family["child"]), note="x"
            ),
            "region",
        ),
    ]
    for call, field in cases:
        with pytest.raises(ValidationError) as exc:
            call()
        assert set(exc.value.message_dict) == {field}, field
    with pytest.raises(PermissionDenied):
        services.household_remove_member(acting_user=users.leader, person=fresh(family["child"]), note="x")
    assert (HouseholdChange.objects.count(), Person.history.count()) == before


def test_a_deregistered_person_joins_no_household(tree: Any, family: dict[str, Any]) -> None:
    gone = PersonFactory(region=tree.grid_a)
    services.person_deregister(acting_user=None, person=gone, status="deceased")
    with pytest.raises(ValidationError) as exc:
        services.household_add_member(
            acting_user=None, household=family["household"], person=fresh(gone), relation=Relation.PARENT
        )
    assert set(exc.value.message_dict) == {"person"}


def test_changes_are_append_only(family: dict[str, Any]) -> None:
    change = family["household"].changes.first()
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        HouseholdChange.objects.filter(pk=change.pk).delete()


def test_a_member_moving_to_another_community_is_recorded_as_leaving(
    tree: Any, family: dict[str, Any]
) -> None:
    services.person_move(acting_user=None, person=fresh(family["child"]), region=tree.grid_b)
    left = family["household"].changes.order_by("-id").first()
    assert (left.kind, left.person_id) == (HouseholdChangeKind.LEFT, family["child"].pk)
    assert tree.grid_b.name in left.note


def test_a_ledgers_links_are_recorded(tree: Any) -> None:
    head = PersonFactory(region=tree.grid_a)
    member = PersonFactory(region=tree.grid_a)
    links = [
        services.HouseholdLink(member=head.id_hash, head=head.id_hash, relation=Relation.HEAD, key=1),
        services.HouseholdLink(member=member.id_hash, head=head.id_hash, relation=Relation.CHILD, key=2),
    ]
    assert services.household_bulk_link(acting_user=None, links=links, change_reason="台账导入 7") == {}
    household = fresh(head).household
    assert sorted(household.changes.values_list("kind", "person_id", "note")) == sorted(  # type: ignore[union-attr]
        [
            (HouseholdChangeKind.CREATED, head.pk, "台账导入 7"),
            (HouseholdChangeKind.JOINED, member.pk, "台账导入 7"),
        ]
    )
