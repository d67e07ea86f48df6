"""Each household's count of registered members (``Household.active_members``) is kept by every
registry service that adds a person to a household, takes one out or deregisters one: the
households figure and the visit coverage count households by it, never the million persons."""

from __future__ import annotations

from typing import Any

from tests.factories import PersonFactory
from wushe.core.metrics import Scope, compute, recompute
from wushe.registry import services
from wushe.registry.models import Household, Person, PersonStatus, Relation


def recounted(household: Household) -> int:
    return Person.objects.filter(household=household, status=PersonStatus.ACTIVE).count()


def stored(household: Household) -> int:
    return Household.objects.get(pk=household.pk).active_members


def test_every_service_keeps_the_count_of_registered_members(tree: Any) -> None:
    head = PersonFactory(region=tree.grid_a)
    household = services.household_create(acting_user=None, head=head)
    assert household.active_members == stored(household) == 1

    spouse = PersonFactory(region=tree.grid_a, household=household, relation_to_head=Relation.SPOUSE)
    child = PersonFactory(region=tree.grid_a)
    services.household_add_member(
        acting_user=None, household=household, person=child, relation=Relation.CHILD
    )
    grandparent = PersonFactory(region=tree.grid_a)
    services.household_add_member(
        acting_user=None, household=household, person=grandparent, relation=Relation.PARENT
    )
    assert stored(household) == recounted(household) == 4

    services.person_deregister(acting_user=None, person=grandparent, status=PersonStatus.DECEASED)
    assert stored(household) == recounted(household) == 3

    # a member moving to another community leaves the household
    services.person_move(acting_user=None, person=child, region=tree.community_b)
    assert Person.objects.get(pk=child.pk).household_id is None
    assert stored(household) == recounted(household) == 2

    # the head moving takes the household along: the count stays
    services.person_move(acting_user=None, person=head, region=tree.grid_b)
    assert stored(household) == recounted(household) == 2

    services.person_deregister(acting_user=None, person=Person.objects.get(pk=spouse.pk), status="moved")
    services.person_deregister(acting_user=None, person=Person.objects.get(pk=head.pk), status="moved")
    assert stored(household) == recounted(household) == 0


def test_households_linked_from_a_ledger_are_counted(tree: Any) -> None:
    head = PersonFactory(region=tree.grid_a)
    members = [PersonFactory(region=tree.grid_a) for _ in range(3)]
    elsewhere = PersonFactory(region=tree.grid_b)  # refused: another grid than the head's
    links = [services.HouseholdLink(member=head.id_hash, head=head.id_hash, relation=Relation.HEAD, key=1)]
    links += [
        services.HouseholdLink(member=m.id_hash, head=head.id_hash, relation=Relation.CHILD, key=i)
        for i, m in enumerate([*members, elsewhere], start=2)
    ]
    failures = services.household_bulk_link(acting_user=None, links=links)
    assert list(failures) == [5]
    household_id = Person.objects.get(pk=head.pk).household_id
    assert household_id is not None
    household = Household.objects.get(pk=household_id)
    assert household.active_members == recounted(household) == 4
    # linking the same ledger again changes nothing
    assert services.household_bulk_link(acting_user=None, links=links) == failures
    assert stored(household) == 4


def test_a_wrong_count_is_put_right_by_counting_again(tree: Any) -> None:
    head = PersonFactory(region=tree.grid_a)
    household = services.household_create(acting_user=None, head=head)
    Household.objects.filter(pk=household.pk).update(active_members=7)
    services.household_count_members([household.pk, None])
    assert stored(household) == 1


def test_the_households_figure_counts_households_with_a_registered_member(tree: Any) -> None:
    kept = services.household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    emptied_head = PersonFactory(region=tree.grid_a)
    emptied = services.household_create(acting_user=None, head=emptied_head)
    services.person_deregister(acting_user=None, person=emptied_head, status=PersonStatus.DECEASED)
    services.household_create(acting_user=None, head=PersonFactory(region=tree.other_street.children.first()))
    scope = Scope(region=tree.street)
    figures = compute(scope, ["households"])
    assert figures["households"].value == 1 == recompute("households", scope)
    assert kept.pk in set(Household.objects.filter(active_members__gt=0).values_list("pk", flat=True))
    assert stored(emptied) == 0
