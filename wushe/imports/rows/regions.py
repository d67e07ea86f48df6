"""The region index a ledger's communities and grids are resolved against (within the region the
import is for), and the tag index."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .cells import NUMERALS, CellError

# ---- regions and tags -------------------------------------------------------------------

_REGION_SUFFIXES = (
    "社区居民委员会",
    "村民委员会",
    "居民委员会",
    "社区居委会",
    "居委会",
    "村委会",
    "社区",
    "村",
)
_CN_DIGITS = {"零": 0, "〇": 0, **{c: n for c, n in NUMERALS.items() if c in "一二两三四五六七八九"}}


def _cn_to_int(text: str) -> int | None:
    """一 … 九十九 → 1 … 99."""
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text)) if text else None
    tens, _sep, units = text.partition("十")
    t = _CN_DIGITS[tens] if tens else 1
    u = _CN_DIGITS[units] if units else 0
    return t * 10 + u


def region_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def grid_number_key(text: str) -> str:
    """第一网格 / 1网格 / 网格1 / 一网格 → ``#1``; other names unchanged."""
    t = region_key(text).removeprefix("第")
    t = re.sub(r"(号)?网格$", "", t).removeprefix("网格").removesuffix("号")
    if t.isdigit():
        return f"#{int(t)}"
    number = _cn_to_int(t)
    return f"#{number}" if number is not None else region_key(text)


@dataclass
class RegionIndex:
    """The communities and grids under the import's target region, by name and code."""

    target_id: int
    target_level: str
    target_path: str
    names: dict[int, str]
    paths: dict[int, str]
    parent: dict[int, int | None]
    communities: dict[str, list[int]] = field(default_factory=dict)
    grids: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, region: Any) -> RegionIndex:
        from wushe.core.models import Region, RegionLevel

        index = cls(region.pk, region.level, region.path, {}, {}, {})
        rows = list(
            Region.objects.filter(path__startswith=region.path).values_list(
                "id", "code", "name", "level", "parent_id", "path"
            )
        )
        by_id = {r[0]: r for r in rows}
        for rid, code, name, level, parent_id, path in rows:
            index.names[rid], index.paths[rid], index.parent[rid] = name, path, parent_id
            if level == RegionLevel.COMMUNITY:
                keys = {region_key(name), code}
                for suffix in _REGION_SUFFIXES:
                    if region_key(name).endswith(suffix) and len(region_key(name)) > len(suffix):
                        keys.add(region_key(name)[: -len(suffix)])
                for key in keys:
                    index.communities.setdefault(key, []).append(rid)
            elif level == RegionLevel.GRID:
                community = by_id.get(parent_id)
                keys = {region_key(name), code, grid_number_key(name)}
                if community is not None and region_key(name).startswith(region_key(community[2])):
                    rest = region_key(name)[len(region_key(community[2])) :]
                    keys |= {rest, grid_number_key(rest)}
                for key in keys:
                    index.grids.setdefault(key, []).append(rid)
        return index

    def community(self, text: str) -> int:
        key = region_key(text)
        ids = self.communities.get(key) or self.communities.get(_strip_suffix(key)) or []
        if not ids:
            raise CellError(_("“%(v)s”不是本次导入区域内的社区/村") % {"v": text})
        if len(ids) > 1:
            raise CellError(_("本次导入区域内有多个名为“%(v)s”的社区/村：请填写区划代码") % {"v": text})
        return ids[0]

    def grid(self, text: str, community_id: int | None) -> int:
        key = region_key(text)
        ids = list(dict.fromkeys(self.grids.get(key, []) + self.grids.get(grid_number_key(text), [])))
        if community_id is not None:
            ids = [i for i in ids if self.parent.get(i) == community_id]
        if not ids:
            if community_id is not None:
                raise CellError(
                    _("“%(v)s”不是“%(c)s”的网格") % {"v": text, "c": self.names.get(community_id, "")}
                )
            raise CellError(_("“%(v)s”不是本次导入区域内的网格") % {"v": text})
        if len(ids) > 1:
            raise CellError(_("多个社区都有名为“%(v)s”的网格：请同时填写社区") % {"v": text})
        return ids[0]


def _strip_suffix(key: str) -> str:
    for suffix in _REGION_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def tag_index() -> dict[str, int]:
    from wushe.registry.models import Tag

    index: dict[str, int] = {}
    for pk, code, name in Tag.objects.values_list("pk", "code", "name"):
        index[region_key(name)] = pk
        index[code.lower()] = pk
    return index


TAG_SPLIT = re.compile(r"[,，、;；/|\s]+")
