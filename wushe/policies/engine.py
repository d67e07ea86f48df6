"""A policy's rule as the rule engine's :class:`~wushe.core.rules.Rule`, with its SQL prefilters
read off the parsed CEL expression, and the facts a rule refers to.

The prefilters are necessary conditions only, so they are taken from the top-level conjunction
of the expression (``a && b && …``) and only from terms whose meaning in SQL is exact:

* ``"dibao" in person.tags`` / ``"dibao" in household.tags`` → the tag valid that day;
* ``person.age >= 80`` (``>``, ``<=``, ``<``, ``==``) → the birth-date range;
* ``person.disability_level in [1, 2]``, ``person.disability_level <= 2 && … >= 1`` is not
  needed: ``>= n`` (n ≥ 1), ``== n``, ``> 0`` and ``person.has_certificate`` → a certificate
  valid that day of those levels; ``person.disability_category in [4, 5]`` / ``== n`` → one of
  those categories.

Anything else (an ``||``, a negation, a fact added by another area) is left to the evaluation:
a missing prefilter costs time, never a wrong answer. The parse tree comes from cel-python's own
parser (``celpy.Environment().compile``); nothing here parses text.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import celpy
from django.db.models import Q
from django.utils.translation import gettext as _
from lark import Token, Tree

from wushe.core.rules import Rule
from wushe.registry import facts as registry_facts

from .models import Policy

_ENV = celpy.Environment()
_WRAPPERS = {
    "expr",
    "conditionalor",
    "conditionaland",
    "relation",
    "addition",
    "multiplication",
    "unary",
    "member",
    "primary",
}
_COMPARE = {
    "relation_ge": ">=",
    "relation_gt": ">",
    "relation_le": "<=",
    "relation_lt": "<",
    "relation_eq": "==",
    "relation_in": "in",
}
_STRING = re.compile(r"""^(?:"([A-Za-z0-9_\-]*)"|'([A-Za-z0-9_\-]*)')$""")
_INT = re.compile(r"^(\d{1,4})$")
MAX_LEVEL = 99  # above every certificate level
_MISSING = object()


@dataclass(frozen=True)
class Term:
    """A recognised term of the top-level conjunction (also what the policy page shows)."""

    kind: str  # person_tag, household_tag, age, level, category, certificate
    op: str
    value: Any


def _tree(expression: str) -> Tree | None:
    try:
        tree = _ENV.compile(expression)
    except Exception:  # a rule that does not parse has no prefilters (saving it is refused anyway)
        return None
    return tree


def _unwrap(node: Any) -> Any:
    """Through the single-child wrappers and parentheses down to what carries meaning."""
    while isinstance(node, Tree):
        if (
            node.data in _WRAPPERS
            and len(node.children) == 1
            or node.data == "paren_expr"
            and len(node.children) == 1
        ):
            node = node.children[0]
        else:
            return node
    return node


def _conjuncts(node: Any) -> Iterator[Any]:
    node = _unwrap(node)
    if isinstance(node, Tree) and node.data == "conditionaland" and len(node.children) == 2:
        yield from _conjuncts(node.children[0])
        yield from _conjuncts(node.children[1])
    else:
        yield node


def _literal(node: Any) -> Any:
    node = _unwrap(node)
    if isinstance(node, Tree) and node.data == "literal" and len(node.children) == 1:
        node = node.children[0]
    if isinstance(node, Token):
        text = str(node)
        string = _STRING.match(text)
        if string:
            return string.group(1) if string.group(1) is not None else string.group(2)
        number = _INT.match(text)
        if number:
            return int(number.group(1))
    return _MISSING


def _ints(node: Any) -> list[int] | None:
    node = _unwrap(node)
    if not (isinstance(node, Tree) and node.data == "list_lit" and len(node.children) == 1):
        return None
    items = node.children[0]
    if not (isinstance(items, Tree) and items.data == "exprlist"):
        return None
    values = [_literal(child) for child in items.children]
    if not values or any(not isinstance(v, int) or isinstance(v, bool) for v in values):
        return None
    return values


def _path(node: Any) -> str:
    """``person.age`` for a member access on a top-level name, else ""."""
    node = _unwrap(node)
    if isinstance(node, Tree) and node.data == "member_dot" and len(node.children) == 2:
        base, name = _unwrap(node.children[0]), node.children[1]
        if isinstance(base, Tree) and base.data == "ident" and base.children:
            return f"{base.children[0]}.{name}"
    return ""


def _term(node: Any) -> Term | None:
    if _path(node) == "person.has_certificate":
        return Term("certificate", "", True)
    if not (isinstance(node, Tree) and node.data == "relation" and len(node.children) == 2):
        return None
    op_node, right = node.children
    if not isinstance(op_node, Tree) or op_node.data not in _COMPARE or len(op_node.children) != 1:
        return None
    op, left = _COMPARE[op_node.data], op_node.children[0]
    if op == "in":
        tag = _literal(left)
        target = _path(right)
        if isinstance(tag, str) and target in ("person.tags", "household.tags"):
            return Term(target.replace(".tags", "_tag"), "in", tag)
        values = _ints(right)
        if values is not None and _path(left) == "person.disability_level" and min(values) >= 1:
            return Term("level", "in", (min(values), max(values)))
        if values is not None and _path(left) == "person.disability_category" and min(values) >= 1:
            return Term("category", "in", tuple(sorted(set(values))))
        return None
    value = _literal(right)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    target = _path(left)
    if target == "person.age":
        return Term("age", op, value)
    if target == "person.disability_level":
        low = {">=": value, ">": value + 1, "==": value}.get(op)
        high = value if op == "==" else MAX_LEVEL
        if low is not None and low >= 1:
            return Term("level", "in", (low, high))
    if target == "person.disability_category" and op == "==" and value >= 1:
        return Term("category", "in", (value,))
    return None


@functools.lru_cache(maxsize=256)
def terms(expression: str) -> tuple[Term, ...]:
    """The recognised terms of the expression's top-level conjunction."""
    tree = _tree(expression)
    if tree is None:
        return ()
    found = (_term(node) for node in _conjuncts(tree))
    return tuple(t for t in found if t is not None)


def _age(op: str, n: int, on: datetime.date) -> Q:
    low, high = {">=": (n, None), ">": (n + 1, None), "<=": (None, n), "<": (None, n - 1), "==": (n, n)}[op]
    return registry_facts.age_between(low, high, on)


def prefilters(expression: str, on: datetime.date) -> tuple[Q, ...]:
    """SQL over ``registry.Person``: the active persons, narrowed by each recognised term."""
    out = [registry_facts.registered()]
    for term in terms(expression):
        if term.kind == "person_tag":
            out.append(registry_facts.has_tag(term.value, on))
        elif term.kind == "household_tag":
            out.append(registry_facts.household_has_tag(term.value, on))
        elif term.kind == "age":
            out.append(_age(term.op, term.value, on))
        elif term.kind == "level":
            out.append(registry_facts.disability_level_between(term.value[0], term.value[1], on))
        elif term.kind == "category":
            out.append(registry_facts.disability_level_between(0, MAX_LEVEL, on, categories=term.value))
        elif term.kind == "certificate":
            out.append(registry_facts.disability_level_between(0, MAX_LEVEL, on))
    return tuple(out)


def describe(term: Term) -> str:
    """A term in words, for the policy page."""
    if term.kind == "person_tag":
        return _("本人带有类别 %(t)s") % {"t": term.value}
    if term.kind == "household_tag":
        return _("所在户带有类别 %(t)s") % {"t": term.value}
    if term.kind == "age":
        return _("年龄 %(op)s %(n)s") % {"op": term.op, "n": term.value}
    if term.kind == "level":
        low, high = term.value
        if high >= MAX_LEVEL:
            return _("持有残疾人证，等级为%(n)s级或更轻") % {"n": low}
        return _("持有%(a)s至%(b)s级残疾人证") % {"a": low, "b": high}
    if term.kind == "category":
        return _("残疾类别为 %(c)s") % {"c": "、".join(str(c) for c in term.value)}
    return _("持有有效残疾人证")


def policy_rule(policy: Policy, on: datetime.date) -> Rule:
    return Rule(name=policy.name, clauses={"rule": policy.rule}, prefilters=prefilters(policy.rule, on))


_REFERENCE = re.compile(r"\b([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")


def referenced(expression: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts the expression names (``person.age`` …), with their values in ``facts``: what
    made a person qualify. Names that are not facts (inside a string, a function) are skipped."""
    out: dict[str, Any] = {}
    for section, key in _REFERENCE.findall(expression):
        values = facts.get(section)
        if isinstance(values, Mapping) and key in values:
            value = values[key]
            out[f"{section}.{key}"] = list(value) if isinstance(value, list | tuple | set) else value
    return out


def facts_json(values: Mapping[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def facts_from_json(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
