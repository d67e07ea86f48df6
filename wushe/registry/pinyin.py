"""Pinyin search keys for names: 祝长连 → zhuchanglian, zhuzhanglian, zcl, zzl …"""

from __future__ import annotations

import itertools

from pypinyin import Style, pinyin

MAX_READINGS = 16  # combinations of heteronym readings kept per name


def name_keys(name: str) -> list[str]:
    """Full pinyin and initials for every combination of readings (bounded), lower-case."""
    readings = pinyin(name, style=Style.NORMAL, heteronym=True, errors=lambda s: [c for c in s])
    options = [[r.lower() for r in dict.fromkeys(char)] or [""] for char in readings]
    keys: dict[str, None] = {}
    for combo in itertools.islice(itertools.product(*options), MAX_READINGS):
        full = "".join(combo).replace(" ", "")
        initials = "".join(p[0] for p in combo if p)
        keys[full] = None
        keys[initials] = None
    return [k for k in keys if k]


def primary_pinyin(name: str) -> str:
    """The most common reading, used for sorting."""
    return "".join(p[0] for p in pinyin(name, style=Style.NORMAL, errors=lambda s: [c for c in s])).lower()
