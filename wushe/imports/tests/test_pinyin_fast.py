"""The registry's pinyin keys read most names character by character from a cache (imports read a
million names); the answer must stay exactly pypinyin's."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from wushe.core.idgen import person_name
from wushe.registry.pinyin import MAX_READINGS, name_keys, primary_pinyin


def _chars(text: str) -> list[str]:
    return list(text)


def _reference_keys(name: str) -> list[str]:
    # pypinyin's errors= callback may return a list (its documentation); its annotation says str
    readings = pinyin(name, style=Style.NORMAL, heteronym=True, errors=_chars)  # type: ignore[arg-type]
    options = [[r.lower() for r in dict.fromkeys(char)] or [""] for char in readings]
    keys: dict[str, None] = {}
    for combo in itertools.islice(itertools.product(*options), MAX_READINGS):
        keys["".join(combo).replace(" ", "")] = None
        keys["".join(p[0] for p in combo if p)] = None
    return [k for k in keys if k]


def _reference_primary(name: str) -> str:
    readings = pinyin(name, style=Style.NORMAL, errors=_chars)  # type: ignore[arg-type]  # as above
    return "".join(p[0] for p in readings).lower()


NAMES = [
    "祝长连",
    "王建国",
    "曾国藩",
    "单田芳",
    "长孙无忌",
    "阿依古丽·买买提",
    "Tom李",
    "李𠀀",
    "乐乐",
    "朴正熙",
    "",
]


def test_same_keys_as_pypinyin() -> None:
    rng = random.Random(7)
    names = NAMES + [person_name(rng) for _ in range(3000)]
    for name in names:
        assert name_keys(name) == _reference_keys(name), name
        assert primary_pinyin(name) == _reference_primary(name), name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=4))
def test_same_keys_for_any_han_string(name: str) -> None:
    assert name_keys(name) == _reference_keys(name)
    assert primary_pinyin(name) == _reference_primary(name)
