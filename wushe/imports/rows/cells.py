"""Cell parsers: identifiers Excel may have mangled, dates as people type them, sex, disability
category and level, relation to the head of the household."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from wushe.core.validators import normalise_digits
from wushe.registry.identity import normalise_name

from ..reading import Cell, cell_text, is_blank


class CellError(Exception):
    """A cell that cannot be read; the message says why (without the column name)."""


# ---- numbers Excel may have mangled -----------------------------------------------------

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
_FLOAT_TEXT = re.compile(r"^(\d+)\.0+$")
EXACT_DIGITS = 15  # Excel keeps 15 significant digits of a number


def _lost_digits(shown: str) -> CellError:
    return CellError(
        _(
            "被 Excel 当作数字保存（%(shown)s），超过15位的数字已经丢失，无法还原："
            "请把该列设为“文本”格式后重新填写完整号码"
        )
        % {"shown": shown}
    )


def identifier_text(value: Cell) -> str:
    """The text of an ID, certificate or phone cell, refusing numbers whose digits were lost."""
    if (
        type(value) is str
        and value.isascii()
        and (value.isdigit() or (value[:-1].isdigit() and value[-1] in "Xx"))
    ):
        return value  # the common case: plain digits (and a check character)
    if value is None:
        return ""
    if isinstance(value, bool):
        raise CellError(_("不是号码"))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise _lost_digits(cell_text(value))
        number = int(value)
        if len(str(abs(number))) > EXACT_DIGITS:
            raise _lost_digits(re.sub(r"\.?0+E", "E", f"{float(value):.14E}"))
        return str(number)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise CellError(_("是日期而不是号码"))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    compact = re.sub(r"\s+", "", text)
    if _SCIENTIFIC.match(compact):
        raise _lost_digits(compact.upper())
    match = _FLOAT_TEXT.match(compact)
    if match:
        digits = match.group(1)
        if len(digits) > EXACT_DIGITS:
            raise _lost_digits(compact)
        return digits
    return text


def identity_key(value: Cell) -> int | None:
    """A cheap key for "the same person" (the 17-digit body of the ID, legacy numbers widened);
    used to find rows that name the same person before the rows are checked."""
    try:
        return key_of_text(identifier_text(value))
    except CellError:
        return None


def key_of_text(value: str | None) -> int | None:
    if not value:
        return None
    text = normalise_digits(value)
    if len(text) == 18 and text[:17].isdigit():
        return int(text[:17])
    if len(text) == 15 and text.isdigit():
        return int(text[:6] + "19" + text[6:])
    return None


def plain_text(value: Cell) -> str:
    """Names and addresses: width folded, surrounding space removed."""
    if is_blank(value):
        return ""
    text = cell_text(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


def name_text(value: Cell) -> str:
    """A person's name as the registry stores it (``registry.identity.normalise_name``):
    " 王 小 明 " is 王小明, "Ayi  Guli" is "Ayi Guli"."""
    return "" if is_blank(value) else normalise_name(cell_text(value))


def _memo(fn: Any) -> Any:
    """Cache a converter of cells from small domains (dates, categories, levels, sexes): a
    million-row ledger repeats the same few thousand values. Errors are not cached."""
    cache: dict[tuple[type, Any], Any] = {}

    @functools.wraps(fn)
    def cached(value: Cell) -> Any:
        try:
            key = (type(value), value)
            hit = cache.get(key, _MISSING)
        except TypeError:  # unhashable
            return fn(value)
        if hit is _MISSING:
            hit = fn(value)
            if len(cache) < 100_000:
                cache[key] = hit
        return hit

    return cached


_MISSING = object()


# ---- dates ------------------------------------------------------------------------------

EXCEL_EPOCH = datetime.date(1899, 12, 30)
_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_YM = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")


@dataclass(frozen=True)
class Day:
    value: datetime.date
    month_only: bool = False  # 出生年月: the day is not known


def _date(y: int, m: int, d: int) -> datetime.date:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        raise CellError(_("不是有效的日期")) from None


def _from_serial(serial: float) -> datetime.date:
    if not 1 <= serial < 2958466:
        raise CellError(_("不是有效的日期"))
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


@_memo
def to_day(value: Cell) -> Day | None:
    """A date in any of the forms people type; ``None`` for an empty cell."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return Day(value.date())
    if isinstance(value, datetime.date):
        return Day(value)
    if isinstance(value, bool):
        raise CellError(_("不是日期"))
    if isinstance(value, (int, float)):
        number = int(value)
        text = str(number)
        if len(text) == 8 and (m := _COMPACT.match(text)):
            return Day(_date(int(m[1]), int(m[2]), int(m[3])))
        if len(text) == 6 and (m := _COMPACT_YM.match(text)):
            return Day(_date(int(m[1]), int(m[2]), 1), month_only=True)
        return Day(_from_serial(float(value)))
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value)).strip())
    if m := _YMD.match(text):
        return Day(_date(int(m[1]), int(m[2]), int(m[3])))
    if m := _COMPACT.match(text):
        return Day(_date(int(m[1]), int(m[2]), int(m[3])))
    if m := _YM.match(text):
        return Day(_date(int(m[1]), int(m[2]), 1), month_only=True)
    if m := _COMPACT_YM.match(text):
        return Day(_date(int(m[1]), int(m[2]), 1), month_only=True)
    if _SERIAL.match(text):
        return Day(_from_serial(float(text)))
    raise CellError(_("无法识别的日期“%(v)s”：请写成 1980-05-03 的形式") % {"v": text[:30]})


# ---- sex, category, level ---------------------------------------------------------------

SEXES = {
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "1": "M",
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
    "2": "F",
}

CATEGORY_NAMES = {
    1: ("视力", "视力残疾", "视残", "视力类"),
    2: ("听力", "听力残疾", "听残", "听力类"),
    3: ("言语", "言语残疾", "言残", "语言", "语言残疾", "言语类"),
    4: ("肢体", "肢体残疾", "肢残", "肢体类"),
    5: ("智力", "智力残疾", "智残", "智力类"),
    6: ("精神", "精神残疾", "精残", "精神类"),
    7: ("多重", "多重残疾", "多残", "多重类"),
}
_CATEGORIES = {name: code for code, names in CATEGORY_NAMES.items() for name in names}
NUMERALS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _small_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in NUMERALS:
        return NUMERALS[text]
    if text.upper() in _ROMAN:
        return _ROMAN[text.upper()]
    return None


def _code_text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))


@_memo
def to_sex(value: Cell) -> str | None:
    if is_blank(value):
        return None
    text = _code_text(value).lower()
    if text not in SEXES:
        raise CellError(_("应填写“男”或“女”"))
    return SEXES[text]


@_memo
def to_category(value: Cell) -> int | None:
    if is_blank(value):
        return None
    text = _code_text(value)
    if text in _CATEGORIES:
        return _CATEGORIES[text]
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text)
    raise CellError(_("应为视力、听力、言语、肢体、智力、精神、多重之一，或代码1–7"))


@_memo
def to_level(value: Cell) -> int | None:
    if is_blank(value):
        return None
    text = _code_text(value)
    text = re.sub(r"(残疾)?$", "", text)
    text = text.removesuffix("级").removeprefix("第")
    number = _small_number(text)
    if number is None or not 1 <= number <= 4:
        raise CellError(_("应为一级至四级，或代码1–4"))
    return number


RELATIONS = {
    "head": ("户主", "本人", "户主本人", "02"),
    "spouse": ("配偶", "妻", "妻子", "夫", "丈夫", "爱人", "10", "11", "12"),
    "child": (
        "子女",
        "子",
        "儿子",
        "女",
        "女儿",
        "长子",
        "次子",
        "三子",
        "长女",
        "次女",
        "三女",
        "独生子",
        "独生女",
    ),
    "parent": ("父母", "父亲", "母亲", "父", "母", "继父", "继母", "养父", "养母"),
    "grandchild": ("孙子女", "孙子", "孙女", "外孙", "外孙子", "外孙女"),
    "sibling": ("兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹"),
}
_RELATIONS = {name: value for value, names in RELATIONS.items() for name in names}


@_memo
def to_relation(value: Cell) -> str | None:
    """与户主关系 as people write it; any other relation (儿媳, 女婿, 侄子 …) is “other”."""
    if is_blank(value):
        return None
    text = _code_text(value).removeprefix("户主的").removeprefix("户主之")
    return _RELATIONS.get(text, "other")


CERT_REISSUE = re.compile(r"B\d{1,2}$")  # 补发 suffix of the second-generation certificate
