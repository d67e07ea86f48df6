"""The facts a rule reads about a person and household (registry.facts), providers added by later
apps, and the narrowing in SQL before a rule is evaluated over many people."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wushe.core import rules
from wushe.core.rules import Outcome, Rule, rule_candidates, rule_evaluate_many
from wushe.registry import facts as registry_facts
from wushe.registry.facts import (
    age_between,
    disability_level_between,
    has_tag,
    household_has_tag,
    person_facts,
    person_facts_many,
    register_facts,
    registered,
    unregister_facts,
)
from wushe.registry.household_tags import household_tags_set
from wushe.registry.models import Person, PersonTag, Tag
from wushe.registry.services import household_add_member, household_create, id_hash, person_tags_set

D = datetime.date
ON = D(2025, 3, 1)


@pytest.fixture
def tags(db: Any) -> dict[str, Tag]:
    return {
        code: Tag.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in (("dibao", "低保"), ("tekun", "特困"), ("elderly", "老年人"))
    }


@pytest.fixture
def provider() -> Iterator[None]:
    def income(persons: Sequence[Person], day: datetime.date) -> dict[int, dict[str, dict[str, Any]]]:
        return {
            p.pk: {"household": {"income_per_person": Decimal("650.00")}, "poverty": {"checked": True}}
            for p in persons
        }

    from wushe.registry import facts

    real = facts._PROVIDERS.pop("poverty", None)  # the poverty checks' own provider, stood in for here
    register_facts("test-income", income)
    yield
    unregister_facts("test-income")
    if real is not None:
        register_facts("poverty", real)


def test_the_facts_of_a_person_and_household_on_a_day(
    person_a: Any, users: Any, tags: Any, tree: Any, provider: None
) -> None:
    household = household_create(acting_user=None, head=person_a)
    person_tags_set(acting_user=None, person=person_a, tags=["elderly"], on=D(2024, 1, 1))
    household_tags_set(acting_user=None, household=household, tags=["dibao"], on=D(2024, 1, 1))
    household_tags_set(acting_user=None, household=household, tags=[], on=D(2025, 1, 1))
    today = timezone.localdate()
    now = person_facts(person_a)  # today: the certificate opened today is valid
    birth = person_a.birth_date
    assert now["person"] == {
        "id": person_a.pk,
        "age": today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day)),
        "sex": person_a.sex,
        "status": "active",
        "region_code": tree.grid_a.code,
        "region_codes": [tree.county.code, tree.street.code, tree.community_a.code, tree.grid_a.code],
        "tags": ["elderly"],
        "has_certificate": True,  # 精神 level 2 (tests/conftest.py)
        "disability_category": 6,
        "disability_level": 2,
    }
    assert now["household"] == {
        "id": household.pk,
        "tags": [],
        "members": 1,
        "income_per_person": Decimal("650.00"),
    }
    assert now["poverty"] == {"checked": True} and now["on"] == today
    before = person_facts(person_a, on=D(2024, 6, 1))
    assert (before["household"]["tags"], before["person"]["tags"]) == (["dibao"], ["elderly"])
    assert before["person"]["disability_level"] == 0  # the certificate was not yet valid then
    assert person_facts(person_a, on=D(2023, 6, 1))["person"]["tags"] == []


def test_a_provider_may_not_replace_a_fact(person_a: Any) -> None:
    register_facts("clash", lambda persons, day: {p.pk: {"person": {"age": 1}} for p in persons})
    try:
        with pytest.raises(ValueError, match="clash"):
            person_facts(person_a)
    finally:
        unregister_facts("clash")


def test_facts_of_many_people_take_a_fixed_number_of_queries(tree: Any, tags: Any) -> None:
    from tests.factories import PersonFactory

    people = [PersonFactory(region=tree.grid_a, category=4, level=1) for _ in range(3)]
    household = household_create(acting_user=None, head=people[0])
    household_add_member(acting_user=None, household=household, person=people[1], relation="spouse")
    with CaptureQueriesContext(connection) as few:
        person_facts_many(people[:1], on=ON)
    with CaptureQueriesContext(connection) as many:
        facts = person_facts_many(people, on=ON)
    assert len(many) == len(few)
    assert facts[people[1].pk]["household"]["members"] == 2


def _thousand(region: Any, dibao: Tag) -> list[int]:
    """1,000 persons written in bulk (the fixture path would take minutes; their numbers are not
    drawn from the factories' sequence, which the other tests' birth dates depend on); every tenth carries
    低保 and, of those, every other one a level-1 certificate. Returns the pks of the 低保 ones."""
    rows = []
    for i in range(1000):
        number = f"9{i:017d}"  # stored as is (the bulk path skips the checks); unique
        rows.append(
            Person(
                region=region, name=f"批量{i}", id_number=number, id_hash=id_hash(number), id_masked=number[:6] + "********",
                birth_date=D(1950, 1, 1) + datetime.timedelta(days=i * 11), sex="F" if i % 2 else "M",
            )
        )  # fmt: skip
    created = Person.objects.bulk_create(rows)
    chosen = [p for i, p in enumerate(created) if i % 10 == 0]
    PersonTag.objects.bulk_create(
        PersonTag(person=p, region=region, tag=dibao, valid_from=D(2020, 1, 1)) for p in chosen
    )
    from wushe.registry.models import DisabilityCertificate

    DisabilityCertificate.objects.bulk_create(
        DisabilityCertificate(person=p, region=region, category=4, level=1, valid_from=D(2020, 1, 1))
        for p in chosen[::2]
    )
    return [p.pk for p in chosen]


def test_a_rule_over_a_thousand_people_evaluates_only_the_survivors_of_the_sql_narrowing(
    tree: Any, tags: Any, monkeypatch: Any
) -> None:
    dibao_pks = _thousand(tree.grid_a, tags["dibao"])
    rule = Rule(
        name="生活补贴",
        clauses={
            "dibao": '"dibao" in person.tags || "dibao" in household.tags',
            "certificate": "person.has_certificate && person.disability_level <= 2",
            "registered": 'person.status == "active"',
        },
        prefilters=(registered(), has_tag("dibao", ON) | household_has_tag("dibao", ON)),
    )
    people = Person.objects.filter(region=tree.grid_a)
    assert people.count() == 1000
    assert rule_candidates(rule, people).count() == 100

    evaluated: list[int] = []
    built: list[int] = []
    real_evaluate = rules.rule_evaluate

    def counting_evaluate(rule: Rule, facts: Any) -> Any:
        evaluated.append(facts["person"]["id"])
        return real_evaluate(rule, facts)

    def counting_facts(rows: Sequence[Person]) -> Any:
        built.extend(p.pk for p in rows)
        return person_facts_many(rows, on=ON)

    monkeypatch.setattr(rules, "rule_evaluate", counting_evaluate)
    results = dict(rule_evaluate_many(rule, people, counting_facts, batch_size=40))
    assert sorted(evaluated) == sorted(built) == sorted(dibao_pks)  # 100 of 1,000, each once
    eligible = sorted(p.pk for p, r in results.items() if r.outcome == Outcome.SATISFIED)
    assert eligible == sorted(dibao_pks[::2])
    failed = next(r for p, r in results.items() if p.pk == dibao_pks[1])
    assert failed.by_name() == {
        "dibao": Outcome.SATISFIED,
        "certificate": Outcome.FAILED,
        "registered": Outcome.SATISFIED,
    }


def test_the_prefilters_match_what_they_say(tree: Any, tags: Any, person_a: Any, person_b: Any) -> None:
    people = Person.objects.all()
    on = timezone.localdate()  # the certificates of the fixtures open today
    assert set(people.filter(disability_level_between(1, 2, on))) == {person_a}
    assert set(people.filter(disability_level_between(1, 4, on, categories=[4]))) == {person_b}
    assert not people.filter(disability_level_between(1, 4, D(1990, 1, 1))).exists()  # not yet valid then
    household = household_create(acting_user=None, head=person_b)
    household_tags_set(acting_user=None, household=household, tags=["dibao"], on=D(2025, 1, 1))
    assert list(people.filter(household_has_tag("dibao", on))) == [person_b]
    assert not people.filter(household_has_tag("dibao", D(2024, 12, 31))).exists()
    assert not people.filter(has_tag("dibao", on)).exists()
    age = person_a.birth_date
    exact = on.year - age.year - ((on.month, on.day) < (age.month, age.day))
    assert person_a in people.filter(age_between(exact, exact, on))
    assert person_a not in people.filter(age_between(exact + 1, None, on))
    assert person_a not in people.filter(age_between(None, exact - 1, on))
    assert registry_facts.registered() is not None
