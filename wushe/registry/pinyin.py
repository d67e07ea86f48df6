"""Pinyin search keys for names: 祝长连 → zhuchanglian, zhuzhanglian, zcl, zzl …

pypinyin is costly per call (docs/benchmarks.md, "Costs the code relies on"). Most names contain
no word of pypinyin's phrase dictionary, and then pypinyin reads them character by character:
for those names the readings come from a per-character cache, which gives exactly pypinyin's
answer for less (an import reads a million names). Names that contain a phrase
(王建国: 建国) still go through pypinyin whole, so the phrase reading is kept.
"""

from __future__ import annotations

import functools
import itertools
import re

from pypinyin import Style, pinyin
from pypinyin.constants import PHRASES_DICT

MAX_READINGS = 16  # combinations of heteronym readings kept per name
_LONGEST_FAST = 12  # longer strings are not names: read them whole
_COMMON_HAN = re.compile(r"[\u4e00-\u9fff]+")  # inside pypinyin's RE_HANS; rarer characters go whole


def _keep(text: str) -> list[str]:
    return list(text)


@functools.cache  # bounded by the number of distinct characters
def _char_readings(char: str, heteronym: bool) -> tuple[str, ...]:
    # pypinyin's errors= callback may return a list (its documentation); its annotation says str
    return tuple(pinyin(char, style=Style.NORMAL, heteronym=heteronym, errors=_keep)[0])  # type: ignore[arg-type]


@functools.lru_cache(maxsize=4096)  # asked twice a name in a row: for the keys, then the sort reading
def _read_per_character(name: str) -> bool:
    """True when pypinyin would read ``name`` one character at a time: all Han, no phrase inside."""
    if not name or len(name) > _LONGEST_FAST or not _COMMON_HAN.fullmatch(name):
        return False
    n = len(name)
    return not any(name[i:j] in PHRASES_DICT for i in range(n) for j in range(i + 1, n + 1))


@functools.lru_cache(maxsize=8192)
def _readings_whole(name: str, heteronym: bool) -> tuple[tuple[str, ...], ...]:
    readings = pinyin(name, style=Style.NORMAL, heteronym=heteronym, errors=_keep)  # type: ignore[arg-type]  # as above
    return tuple(tuple(r) for r in readings)


def _readings(name: str, heteronym: bool) -> tuple[tuple[str, ...], ...]:
    if _read_per_character(name):
        return tuple(_char_readings(c, heteronym) for c in name)
    return _readings_whole(name, heteronym)


def name_keys(name: str) -> list[str]:
    """Full pinyin and initials for every combination of readings (bounded), lower-case."""
    return list(_name_keys(name))


@functools.cache  # bounded by the number of distinct characters
def _char_options(char: str) -> tuple[str, ...]:
    return tuple(r.lower() for r in dict.fromkeys(_char_readings(char, True))) or ("",)


@functools.lru_cache(maxsize=32768)  # names repeat: a county's ledger holds many 王芳
def _name_keys(name: str) -> tuple[str, ...]:
    if _read_per_character(name):
        options = [_char_options(c) for c in name]
        if all(len(o) == 1 for o in options):  # most names: one reading a character, one combination
            full = "".join(o[0] for o in options).replace(" ", "")
            initials = "".join(o[0][0] for o in options if o[0])
            return tuple(k for k in dict.fromkeys((full, initials)) if k)
    else:
        options = [tuple(r.lower() for r in dict.fromkeys(char)) or ("",) for char in _readings(name, True)]
    keys: dict[str, None] = {}
    for combo in itertools.islice(itertools.product(*options), MAX_READINGS):
        full = "".join(combo).replace(" ", "")
        initials = "".join(p[0] for p in combo if p)
        keys[full] = None
        keys[initials] = None
    return tuple(k for k in keys if k)


@functools.lru_cache(maxsize=32768)
def primary_pinyin(name: str) -> str:
    """The most common reading, used for sorting."""
    return "".join(p[0] for p in _readings(name, False)).lower()
