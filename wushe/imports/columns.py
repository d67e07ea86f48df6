"""The columns wushe understands in a ledger (:data:`FIELDS`, the one place that lists them with
their synonyms), how a header cell is matched to one, and which rows and cells are notes or blank.
Re-exported by :mod:`wushe.imports.reading`."""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

Cell = Any  # str | int | float | bool | date | datetime | time | timedelta | None


# ---- the columns wushe understands ---------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    label: Any  # lazy translation
    synonyms: tuple[str, ...]
    imported: bool = True  # False: recognised, checked, but not written yet


FIELDS: tuple[Field, ...] = (
    Field("name", gettext_lazy("姓名"), ("姓名", "居民姓名", "人员姓名", "残疾人姓名", "持证人姓名", "名字")),
    Field(
        "id_number",
        gettext_lazy("身份证号码"),
        (
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "公民身份证号",
            "公民身份证号码",
            "居民身份证号",
            "居民身份证号码",
            "身份证件号码",
            "证件号码",
            "身份证",
        ),
    ),
    Field("sex", gettext_lazy("性别"), ("性别",)),
    Field("birth_date", gettext_lazy("出生日期"), ("出生日期", "出生年月日", "出生年月", "生日")),
    Field(
        "phone",
        gettext_lazy("联系电话"),
        ("联系电话", "手机号", "手机号码", "手机", "电话", "电话号码", "联系方式", "本人电话"),
    ),
    Field(
        "address",
        gettext_lazy("住址"),
        ("住址", "家庭住址", "现住址", "现居住地址", "居住地址", "家庭地址", "详细地址", "地址", "户籍地址"),
    ),
    Field(
        "community",
        gettext_lazy("社区"),
        ("社区", "所属社区", "所在社区", "社区名称", "社区村", "村社区", "村居", "社区/村", "村"),
    ),
    Field("grid", gettext_lazy("网格"), ("网格", "所属网格", "所在网格", "网格名称", "网格号")),
    Field(
        "certificate",
        gettext_lazy("残疾人证号"),
        ("残疾人证号", "残疾证号", "残疾人证号码", "残疾证号码", "残疾人证", "残疾证"),
    ),
    Field("category", gettext_lazy("残疾类别"), ("残疾类别", "残疾类型", "残疾种类", "类别")),
    Field("level", gettext_lazy("残疾等级"), ("残疾等级", "残疾级别", "等级")),
    Field(
        "tags",
        gettext_lazy("人员类别"),
        ("人员类别", "人员类型", "困难类型", "群体类别", "特殊群体类别", "救助类别"),
    ),
    Field("contact_name", gettext_lazy("监护人/联系人"), ("监护人", "监护人姓名", "联系人", "联系人姓名")),
    Field(
        "contact_phone",
        gettext_lazy("联系人电话"),
        ("监护人电话", "监护人联系电话", "联系人电话", "联系人手机"),
    ),
    Field("head_name", gettext_lazy("户主姓名"), ("户主姓名", "户主")),
    Field("head_id", gettext_lazy("户主身份证号"), ("户主身份证号", "户主身份证号码", "户主公民身份号码")),
    Field("relation", gettext_lazy("与户主关系"), ("与户主关系", "与户主的关系", "家庭关系")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED_FIELDS = ("name", "id_number")

_BRACKETED = re.compile(r"[（(\[【<《][^）)\]】>》]*[）)\]】>》]")
_HEADER_NOISE = re.compile(r"[\s*＊:：_\-—·.。、]+")


def normalise_header(text: Any) -> str:
    """``身份证号码（18位）*`` → ``身份证号码``: width folded, hints in brackets and noise removed."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = _BRACKETED.sub("", value)
    value = _HEADER_NOISE.sub("", value)
    return value


_SYNONYMS: dict[str, str] = {}
for _f in FIELDS:
    for _s in _f.synonyms:
        _SYNONYMS.setdefault(normalise_header(_s), _f.key)
# longest first, for headers that contain a synonym (家庭住址及门牌号 → 住址)
_CONTAINED = sorted(((s, k) for s, k in _SYNONYMS.items() if len(s) >= 3), key=lambda sk: -len(sk[0]))


def field_for_header(text: Any) -> str:
    """The field a header names, or ``""``."""
    norm = normalise_header(text)
    if not norm:
        return ""
    if norm in _SYNONYMS:
        return _SYNONYMS[norm]
    for synonym, key in _CONTAINED:
        if synonym in norm:
            return key
    return ""


def guess_mapping(headers: list[str]) -> list[str]:
    """One field key (or ``""``) per column; a field is given to its first column only."""
    taken: set[str] = set()
    mapping = []
    for header in headers:
        key = field_for_header(header)
        if key and key not in taken:
            taken.add(key)
            mapping.append(key)
        else:
            mapping.append("")
    return mapping


def header_shape(headers: list[str]) -> str:
    """A key for "a file of the same shape": the normalised header texts, hashed."""
    return hashlib.sha256("\x1f".join(normalise_header(h) for h in headers).encode()).hexdigest()


# ---- note rows and cells -------------------------------------------------------------------

NOTE_PREFIXES = (
    "填表人",
    "填报人",
    "制表人",
    "统计人",
    "审核人",
    "审批人",
    "负责人",
    "单位负责人",
    "经办人",
    "合计",
    "总计",
    "小计",
    "共计",
    "备注",
    "说明",
    "注",
    "填表日期",
    "填报日期",
    "制表日期",
    "报送日期",
    "填表说明",
    "盖章",
    "单位盖章",
)


def cell_text(value: Cell) -> str:
    """A cell as the text a person would read in it (for headers, notes and reports)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).upper() if "e" in repr(value) else repr(value)
    if isinstance(value, datetime.datetime):
        return (
            value.isoformat(sep=" ")
            if (value.hour, value.minute, value.second) != (0, 0, 0)
            else value.date().isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


def is_blank(value: Cell) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def is_note_row(cells: list[Cell]) -> bool:
    """填表人：张三　审核人：李四 … — a note under (or inside) the table, not a person."""
    first = next((c for c in cells if not is_blank(c)), None)
    if not isinstance(first, str):
        return False
    text = normalise_header(first)
    return text.startswith(NOTE_PREFIXES)
