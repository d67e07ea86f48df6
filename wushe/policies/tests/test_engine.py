"""The prefilters read off a rule: exactly the recognised terms of the top-level conjunction, and
never a person the rule would have accepted left out (evaluated over everyone vs. narrowed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PersonFactory, next_id_number
from wushe.core.rules import Rule, rule_evaluate
from wushe.policies.engine import Term, prefilters, referenced, terms
from wushe.registry.facts import person_facts_many
from wushe.registry.models import Person


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"dibao" in household.tags', [Term("household_tag", "in", "dibao")]),
        (
            "'tekun' in person.tags && person.age >= 60",
            [Term("person_tag", "in", "tekun"), Term("age", ">=", 60)],
        ),
        (
            "person.disability_level in [1, 2] && person.age < 60",
            [Term("level", "in", (1, 2)), Term("age", "<", 60)],
        ),
        (
            "(person.has_certificate && person.disability_category == 5)",
            [Term("certificate", "", True), Term("category", "in", (5,))],
        ),
        ("person.disability_level >= 3", [Term("level", "in", (3, 99))]),
        ("person.disability_level <= 2", []),  # includes 0: no certificate
        ('"dibao" in person.tags || person.age >= 80', []),  # a disjunction narrows nothing
        ('!("tekun" in person.tags)', []),
        ("person.age >= 80 ? true : false", []),
        ("person.age >=", []),  # does not parse
    ],
)
def test_terms(expression: str, expected: list[Term]) -> None:
    assert list(terms(expression)) == expected


RULES = [
    '"dibao" in person.tags && person.has_certificate',
    "person.disability_level in [1, 2] && person.age >= 16",
    "person.age >= 80",
    "person.age < 18 && person.disability_level > 0",
    "person.disability_category == 5 || person.disability_category == 6",
    'person.disability_level >= 3 && !("tekun" in person.tags)',
    "person.age == 40",
]


def test_prefilters_never_lose_a_qualifying_person(tree: Any) -> None:
    today = timezone.localdate()
    for age, category, level, tags in [
        (85, None, 0, []),
        (80, 4, 1, ["dibao"]),
        (79, 5, 3, ["tekun"]),
        (17, 6, 4, []),
        (16, 1, 2, ["dibao"]),
        (40, None, 0, ["dibao"]),
        (60, 7, 2, []),
    ]:
        birth = today.replace(year=today.year - age, day=1)
        PersonFactory(
            region=tree.grid_a,
            id_number=next_id_number(birth=birth),
            tags=tags,
            **({"category": category, "level": level} if category else {}),
        )
    people = list(Person.objects.all())
    facts = person_facts_many(people, on=today)
    for expression in RULES:
        rule = Rule("r", {"rule": expression})
        everyone = {p.pk for p in people if rule_evaluate(rule, facts[p.pk]).satisfied}
        narrowed_qs = Person.objects.all()
        for q in prefilters(expression, today):
            narrowed_qs = narrowed_qs.filter(q)
        narrowed = set(narrowed_qs.values_list("pk", flat=True))
        assert everyone <= narrowed, expression
        assert everyone, expression  # each rule picks someone: the check means something
    assert len(set(Person.objects.filter(*prefilters(RULES[2], today)).values_list("pk", flat=True))) < len(
        people
    )


def test_referenced_facts() -> None:
    facts = {"person": {"age": 81, "tags": ["dibao"], "sex": "F"}, "household": {"tags": []}}
    assert referenced('person.age >= 80 && "x.y" in household.tags', facts) == {
        "person.age": 81,
        "household.tags": [],
    }
