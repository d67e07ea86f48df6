"""A person's or a household's records (the 360° pages' sections and the lists narrowed with
``?person=`` / ``?household=``) are selected by ``registry.subjects.subject_q`` with the members
as an array (``any_of``), so that each side of its OR is read from an index; they are exactly the
records of the definition written with joins, on SQLite and PostgreSQL: a household's are those
about it and about any of its members (also a member's visits from before joining it), a
person's are those about the person and those about the person's household naming no member."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Q

from tests.factories import PersonFactory
from tests.outreach_factories import household_in, make_visit, units_for
from wushe.registry.models import Person
from wushe.registry.subjects import Subject, subject_q
from wushe.visits import services
from wushe.visits.models import Visit

pytestmark = pytest.mark.django_db


def _by_definition(subject: Subject) -> set[int]:
    if subject.household:
        q = Q(person__household=subject.household) | Q(household=subject.household)
    else:
        assert subject.person is not None
        person = Person.objects.get(pk=subject.person)
        q = Q(person=subject.person)
        if person.household_id:
            q |= Q(person__isnull=True, household=person.household_id)
    return set(Visit.objects.filter(q).values_list("pk", flat=True))


def test_a_subject_s_visits_are_those_of_the_definition(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])
    day = datetime.date(2026, 6, 1)
    home, other = household_in(tree.grid_a), household_in(tree.grid_b)
    head = home.members.get()
    moved = PersonFactory(region=tree.grid_b, household=other, relation_to_head="child")
    alone = PersonFactory(region=tree.grid_a)
    make_visit(home, day=day)  # the household, no one named
    make_visit(other, day=day)
    for person in (head, moved, alone):
        services.visit_record(acting_user=None, data=services.VisitInput(visited_on=day, person=person))
    # the child moves to the first household: its earlier visit (to the other one) is now a member's
    Person.objects.filter(pk=moved.pk).update(household=home, region=tree.grid_a)

    subjects = [
        Subject(household=home.pk),
        Subject(household=other.pk),
        Subject(person=head.pk),
        Subject(person=moved.pk),
        Subject(person=alone.pk),
    ]
    sizes = []
    for subject in subjects:
        selected = set(Visit.objects.filter(subject_q(subject)).values_list("pk", flat=True))
        assert selected == _by_definition(subject), subject
        sizes.append(len(selected))
    # not empty sets: the first household's own visit, its head's and the child's from before it
    # moved in; the other household's own and the child's (recorded there); each member's own and
    # the first household's; the person without a household only their own
    assert sizes == [3, 2, 2, 2, 1]
