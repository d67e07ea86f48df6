"""The rule engine over CEL (core.rules): parse checks that name the field, clause results."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from wushe.core.rules import Outcome, Rule, rule_check, rule_evaluate

FACTS: dict[str, Any] = {
    "on": datetime.date(2025, 3, 1),
    "person": {"age": 67, "sex": "F", "tags": ["dibao"], "disability_level": 1, "disability_category": 4},
    "household": {"tags": ["dibao"], "income_per_person": Decimal("612.50"), "members": 3},
}

NURSING = Rule(
    name="重度残疾人护理补贴",
    clauses={
        "level": "person.disability_level in [1, 2]",
        "not_tekun": '!("tekun" in person.tags) && !("tekun" in household.tags)',
        "income": "household.income_per_person < 800.0",
    },
)


@pytest.mark.parametrize("expression", ["person.age >= ", "a &&& b", "(person.age > 1", "person..age > 1"])
def test_an_expression_that_does_not_parse_names_the_field(expression: str) -> None:
    with pytest.raises(ValidationError) as caught:
        rule_check(expression, field="rule")
    assert list(caught.value.message_dict) == ["rule"]
    message = caught.value.message_dict["rule"][0]
    assert "rule" in message and "无法解析" in message and "列" in message


def test_an_empty_or_huge_expression_is_refused_and_a_good_one_passes() -> None:
    with pytest.raises(ValidationError) as caught:
        rule_check("  ", field="eligibility")
    assert "eligibility" in caught.value.message_dict
    with pytest.raises(ValidationError):
        rule_check("true && " * 400 + "true")
    assert (
        rule_check(' person.age >= 60 && "dibao" in household.tags ')
        == 'person.age >= 60 && "dibao" in household.tags'
    )


def test_a_rule_checks_each_clause_by_name() -> None:
    NURSING.check()
    broken = Rule(name="坏规则", clauses={"ok": "true", "bad": "person.age >"})
    with pytest.raises(ValidationError) as caught:
        broken.check(field="rule")
    assert list(caught.value.message_dict) == ["rule.bad"]
    with pytest.raises(ValidationError):
        Rule(name="空", clauses={}).check()


def test_every_clause_satisfied_makes_the_rule_satisfied() -> None:
    result = rule_evaluate(NURSING, FACTS)
    assert result.satisfied and result.outcome == Outcome.SATISFIED
    assert result.by_name() == {
        "level": Outcome.SATISFIED,
        "not_tekun": Outcome.SATISFIED,
        "income": Outcome.SATISFIED,
    }
    assert result.facts is FACTS  # the reasons: the facts it used


def test_a_failed_clause_is_named_and_fails_the_rule() -> None:
    facts = {**FACTS, "person": {**FACTS["person"], "disability_level": 3, "tags": ["tekun"]}}
    result = rule_evaluate(NURSING, facts)
    assert result.outcome == Outcome.FAILED
    assert result.by_name() == {
        "level": Outcome.FAILED,
        "not_tekun": Outcome.FAILED,
        "income": Outcome.SATISFIED,
    }


def test_a_missing_fact_is_an_error_not_a_failure_and_not_a_crash() -> None:
    facts = {**FACTS, "household": {"tags": []}}  # no income known
    result = rule_evaluate(NURSING, facts)
    assert result.outcome == Outcome.ERROR
    income = next(c for c in result.clauses if c.name == "income")
    assert income.outcome == Outcome.ERROR and "income_per_person" in income.error
    # a failure elsewhere decides the rule even when a clause is undecided
    facts["person"] = {**FACTS["person"], "disability_level": 4}
    assert rule_evaluate(NURSING, facts).outcome == Outcome.FAILED


def test_a_clause_that_is_not_true_or_false_is_an_error() -> None:
    result = rule_evaluate(Rule(name="r", clauses={"age": "person.age + 1", "div": "1 / 0 == 1"}), FACTS)
    assert result.by_name() == {"age": Outcome.ERROR, "div": Outcome.ERROR}


def test_facts_are_data_never_code() -> None:
    # a string that looks like code stays a string; CEL has no access to Python
    facts = {"person": {"name": "__import__('os').system('true')"}}
    result = rule_evaluate(Rule(name="r", clauses={"c": "person.name.startsWith('__import__')"}), facts)
    assert result.satisfied
    result = rule_evaluate(Rule(name="r", clauses={"c": "person.name.__class__ == 1"}), facts)
    assert result.outcome == Outcome.ERROR


def test_dates_compare_as_iso_strings_and_decimals_as_numbers() -> None:
    rule = Rule(
        name="r", clauses={"day": 'on >= "2025-01-01"', "money": "household.income_per_person > 612.0"}
    )
    assert rule_evaluate(rule, FACTS).satisfied
