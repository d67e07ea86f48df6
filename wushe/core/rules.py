"""The rule engine: eligibility written in Common Expression Language (CEL), kept as data.

Subsidy eligibility, 政策找人 and early warnings are rules an administrator edits, so they are
expressions in a small, well-specified, side-effect-free language (CEL, evaluated by
``cel-python``), never Python (no ``eval``) and never a parser of our own.

* A :class:`Rule` is a name and named clauses, each a CEL expression over a facts mapping (the
  registry builds it: ``registry.facts.person_facts``), e.g.
  ``{"certificate": "person.disability_level in [1, 2]", "not_tekun": '!("tekun" in household.tags)'}``.
  The rule holds when every clause does.
* :func:`rule_check` parses an expression when it is saved and names the field in the error.
* :func:`rule_evaluate` says, for one set of facts, which clauses are satisfied, failed, or
  could not be decided (an error: a missing fact, a wrong type), and the overall result.
* A rule may carry ``prefilters``: Django ``Q`` objects (``registry.facts`` has the usual ones:
  a tag, a disability level range, an age range) that every qualifying row must match. They are
  necessary conditions only: :func:`rule_candidates` narrows in the database with them, and
  :func:`rule_evaluate_many` evaluates the clauses over the survivors alone.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import celpy
from celpy import celtypes
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

M = TypeVar("M", bound=models.Model)

MAX_EXPRESSION = 2000  # characters: a rule is a sentence, not a program
_ENV = celpy.Environment()


class Outcome(models.TextChoices):
    SATISFIED = "satisfied", _l("满足")
    FAILED = "failed", _l("不满足")
    ERROR = "error", _l("无法判断")


@dataclass(frozen=True)
class Rule:
    name: str
    clauses: Mapping[str, str]  # clause name → CEL expression; all must hold
    prefilters: tuple[Q, ...] = ()  # necessary conditions, applied in SQL before evaluating

    def check(self, *, field: str = "clauses") -> None:
        """Parse every clause; the error names ``field`` and the clause."""
        if not self.clauses:
            raise ValidationError({field: _("规则“%(rule)s”没有条件") % {"rule": self.name}})
        for name, expression in self.clauses.items():
            rule_check(expression, field=f"{field}.{name}")


@dataclass(frozen=True)
class ClauseResult:
    name: str
    expression: str
    outcome: Outcome
    error: str = ""


@dataclass(frozen=True)
class RuleResult:
    rule: str
    outcome: Outcome
    clauses: tuple[ClauseResult, ...]
    facts: Mapping[str, Any] = field(repr=False, default_factory=dict)

    @property
    def satisfied(self) -> bool:
        return self.outcome == Outcome.SATISFIED

    def by_name(self) -> dict[str, Outcome]:
        return {c.name: c.outcome for c in self.clauses}


def rule_check(expression: str, *, field: str = "rule") -> str:
    """Parse ``expression``; raise ``ValidationError({field: …})`` naming the field and where the
    expression does not parse. Returns the expression, stripped."""
    text = (expression or "").strip()
    if not text:
        raise ValidationError({field: _("“%(field)s”：请填写规则表达式") % {"field": field}})
    if len(text) > MAX_EXPRESSION:
        raise ValidationError(
            {
                field: _("“%(field)s”：规则表达式过长（最多 %(n)s 个字符）")
                % {"field": field, "n": MAX_EXPRESSION}
            }
        )
    try:
        _program(text)
    except celpy.CELParseError as error:
        where = getattr(error, "line", None), getattr(error, "column", None)
        raise ValidationError(
            {
                field: _(
                    "“%(field)s”的规则表达式无法解析：第 %(line)s 行第 %(column)s 列附近有语法错误（%(text)s）"
                )
                % {"field": field, "line": where[0] or 1, "column": where[1] or 1, "text": text[:80]}
            }
        ) from None
    except Exception as error:  # any other failure of the parser is a parse failure too
        raise ValidationError(
            {
                field: _("“%(field)s”的规则表达式无法解析：%(error)s")
                % {"field": field, "error": str(error)[:200]}
            }
        ) from None
    return text


@functools.lru_cache(maxsize=512)
def _program(text: str) -> Any:
    return _ENV.program(_ENV.compile(text))


def to_cel(value: Any) -> Any:
    """Facts as CEL values: Decimal as a double (for comparisons, not for money arithmetic),
    dates as ISO strings (they compare in order), sets as sorted lists."""
    if value is None or isinstance(value, celtypes.BoolType | celtypes.IntType | celtypes.StringType):
        return value
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.IntType(value)
    if isinstance(value, float | Decimal):
        return celtypes.DoubleType(float(value))
    if isinstance(value, str):
        return celtypes.StringType(value)
    if isinstance(value, datetime.datetime):
        return celtypes.TimestampType(value)
    if isinstance(value, datetime.date):
        return celtypes.StringType(value.isoformat())
    if isinstance(value, Mapping):
        return celtypes.MapType({celtypes.StringType(str(k)): to_cel(v) for k, v in value.items()})
    if isinstance(value, set | frozenset):
        return celtypes.ListType([to_cel(v) for v in sorted(value)])
    if isinstance(value, list | tuple):
        return celtypes.ListType([to_cel(v) for v in value])
    raise TypeError(f"a fact of type {type(value).__name__} has no CEL form")


def _clause(name: str, expression: str, activation: Mapping[str, Any]) -> ClauseResult:
    try:
        value = _program(expression.strip()).evaluate(activation)
    except Exception as error:  # a missing fact, a wrong type, a division by zero …
        return ClauseResult(name, expression, Outcome.ERROR, _error_text(error))
    if isinstance(value, celpy.CELEvalError):
        return ClauseResult(name, expression, Outcome.ERROR, _error_text(value))
    if not isinstance(value, celtypes.BoolType | bool):
        return ClauseResult(name, expression, Outcome.ERROR, _("条件的结果不是真或假"))
    return ClauseResult(name, expression, Outcome.SATISFIED if value else Outcome.FAILED)


def _error_text(error: BaseException) -> str:
    args = getattr(error, "args", ())
    return str(args[0] if args else error)[:200]


def rule_evaluate(rule: Rule, facts: Mapping[str, Any]) -> RuleResult:
    """Each clause satisfied, failed or in error; the rule is satisfied when all clauses are,
    failed when any fails, and in error otherwise (undecided: a fact was missing)."""
    activation = {str(k): to_cel(v) for k, v in facts.items()}
    results = tuple(_clause(name, expression, activation) for name, expression in rule.clauses.items())
    outcomes = {r.outcome for r in results}
    if Outcome.FAILED in outcomes:
        overall = Outcome.FAILED
    elif Outcome.ERROR in outcomes or not results:
        overall = Outcome.ERROR
    else:
        overall = Outcome.SATISFIED
    return RuleResult(rule.name, overall, results, facts)


def rule_candidates(rule: Rule, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """``queryset`` narrowed in the database by the rule's prefilters."""
    for prefilter in rule.prefilters:
        queryset = queryset.filter(prefilter)
    return queryset


FactsMany = Callable[[Sequence[Any]], Mapping[Any, Mapping[str, Any]]]


def rule_evaluate_many(
    rule: Rule, queryset: models.QuerySet[M], facts_many: FactsMany, *, batch_size: int = 500
) -> Iterator[tuple[M, RuleResult]]:
    """Evaluate ``rule`` over the rows of ``queryset`` that pass its prefilters, in batches:
    ``facts_many(rows)`` builds the facts of a batch keyed by primary key."""
    candidates = rule_candidates(rule, queryset).order_by("pk")
    last: Any = None
    while True:
        page = candidates if last is None else candidates.filter(pk__gt=last)
        batch = list(page[:batch_size])
        if not batch:
            return
        facts = facts_many(batch)
        for row in batch:
            yield row, rule_evaluate(rule, facts[row.pk])
        last = batch[-1].pk
