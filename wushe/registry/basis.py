"""Whether a person's sensitive data of a kind has a basis — consent or a statutory duty —, asked
by the registry's pages and API after a worker records a disability certificate or a sensitive
group tag (PIPL arts. 28–32: the worker is told, the write is not refused).

The records that answer are kept above the registry (``wushe.consent``), which registers its
answer here at start-up, so the registry imports no app above it (as ``household_columns`` and
``core.sections``). Without an answering app, nothing is said."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .models import Person, Tag

# (person, the data kinds just recorded) -> the warnings to show
Checker = Callable[[Person, Sequence[str]], list[str]]
_CHECKERS: list[Checker] = []

DISABILITY = "disability"
ASSISTANCE = "assistance"
OTHER = "other"
# the tags whose holding is 低保/特困 status (the rest of the sensitive tags count as "other")
ASSISTANCE_TAGS = ("dibao", "tekun", "dibao-edge")


def register(checker: Checker) -> None:
    if checker not in _CHECKERS:
        _CHECKERS.append(checker)


def tag_kinds(tags: Sequence[Any]) -> list[str]:
    """The data kinds holding ``tags`` (sensitive ones only) records."""
    kinds: list[str] = []
    for tag in tags:
        if not getattr(tag, "sensitive", False):
            continue
        kind = ASSISTANCE if tag.code in ASSISTANCE_TAGS else OTHER
        if kind not in kinds:
            kinds.append(kind)
    return kinds


def tag_code_kinds(codes: Sequence[str]) -> list[str]:
    """:func:`tag_kinds` of tags given by code or name (as the forms and the API give them)."""
    if not codes:
        return []
    wanted = [c for c in codes if c]
    return tag_kinds(list(Tag.objects.filter(code__in=wanted) | Tag.objects.filter(name__in=wanted)))


def warnings_for(person: Person, kinds: Sequence[str]) -> list[str]:
    """What the worker is told after recording data of ``kinds`` for ``person``."""
    if not kinds:
        return []
    out: list[str] = []
    for checker in _CHECKERS:
        out.extend(checker(person, kinds))
    return out
