"""Normalising and checking one ledger row.

Cells are turned into the values wushe stores with the registry's own rules
(``wushe.registry.services.person_draft``, which checks ID numbers with
``wushe.core.validators``). What is particular to ledgers is handled here:

- numbers Excel mangled: an 18-digit ID or a 20-digit certificate number typed into a number
  cell keeps only 15 significant digits, and a CSV saved from Excel may show
  ``3.70102198005031E+17``. The lost digits cannot be known, so such a cell is rejected with
  that reason, never guessed. Whole numbers of up to 15 digits are exact (a mobile number in a
  number cell) and are accepted;
- dates as people type them (1980-05-03, 1980/5/3, 1980.5.3, 1980年5月3日, 19800503, Excel
  serial numbers, date cells) and 出生年月 columns that give only the month;
- categories and levels as names or codes (肢体 / 肢体残疾 / 肢残 / 4, 二级 / 2级 / Ⅱ / 2);
- communities and grids named as people name them (乙社区 / 乙 / 第一网格 / 1网格 / codes), only
  within the region the import is for.

Every rejected row gets one reason naming each column at fault, in the file's own header text.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wushe.core.validators import normalise_digits, parse_id_number
from wushe.registry.identity import id_hash
from wushe.registry.services import PersonDraft, person_draft

from .reading import Cell, cell_text, is_blank


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
        return _key_of_text(identifier_text(value))
    except CellError:
        return None


def _key_of_text(value: str | None) -> int | None:
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
_NUMERALS = {
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
    if text in _NUMERALS:
        return _NUMERALS[text]
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


_CERT_REISSUE = re.compile(r"B\d{1,2}$")  # 补发 suffix of the second-generation certificate


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
_CN_DIGITS = {"零": 0, "〇": 0, **{c: n for c, n in _NUMERALS.items() if c in "一二两三四五六七八九"}}


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


_TAG_SPLIT = re.compile(r"[,，、;；/|\s]+")


# ---- the row ----------------------------------------------------------------------------

_DRAFT_FIELD = {
    "name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "contact_phone": "contact_phone",
    "address": "address",
    "contact_name": "contact_name",
    "disability_certificate": "certificate",
    "region": "community",
}


@dataclass(slots=True)
class CheckedRow:
    number: int
    cells: list[Cell]
    draft: PersonDraft | None = None
    reason: str = ""
    key: int | None = None
    region_given: bool = False
    fields: frozenset[str] = frozenset()  # the fields this row gives a value for
    earlier: bool = False  # committed before a restart, needed again for a later row of the person
    # (head's ID hash, head's identity key, relation, head's name as written) from 户主身份证号 /
    # 与户主关系 / 户主姓名; the head's own row has its own hash and the relation "head"
    household: tuple[str, int, str, str] | None = None

    @property
    def ok(self) -> bool:
        return self.draft is not None and not self.reason

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # rows cross the pipe from the checking worker: a plain tuple pickles fastest
        return CheckedRow, _ROW_VALUES(self)


_ROW_VALUES = attrgetter(*(f.name for f in dataclass_fields(CheckedRow)))


class RowChecker:
    """Checks rows of one table against one target region. Holds plain data only, so that it can
    be handed to a worker process."""

    def __init__(
        self,
        *,
        headers: list[str],
        mapping: list[str],
        regions: RegionIndex,
        tags: dict[str, int],
    ) -> None:
        self.headers = headers
        self.columns: dict[str, int] = {key: i for i, key in enumerate(mapping) if key}
        self.regions = regions
        self.tags = tags
        self._readers = [
            (key, index, _READERS[key]) for key, index in self.columns.items() if key in _READERS
        ]
        self._region_memo: dict[Any, tuple[int | None, dict[str, list[str]]]] = {}
        self._household_columns = bool(self.columns.keys() & {"head_id", "head_name", "relation"})
        self.today = datetime.date.today()  # noqa: DTZ011 — a calendar date bounding birth dates

    def label(self, key: str) -> str:
        from .reading import FIELD_BY_KEY

        index = self.columns.get(key)
        if index is not None and index < len(self.headers) and self.headers[index]:
            return self.headers[index]
        return str(FIELD_BY_KEY[key].label) if key in FIELD_BY_KEY else key

    def _cell(self, cells: list[Cell], key: str) -> Cell:
        index = self.columns.get(key)
        if index is None or index >= len(cells):
            return None
        return cells[index]

    def key_of(self, cells: list[Cell]) -> int | None:
        return identity_key(self._cell(cells, "id_number"))

    def check(self, number: int, cells: list[Cell]) -> CheckedRow:
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        given: set[str] = set()
        width = len(cells)
        for key, index, convert in self._readers:  # only the mapped columns
            raw = cells[index] if index < width else None
            if raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
                continue
            given.add(key)
            try:
                values[key] = convert(raw)
            except CellError as exc:
                errors[key] = [str(exc)]
        for key in ("community", "grid", "tags"):
            if key in self.columns and not is_blank(self._cell(cells, key)):
                given.add(key)
        if self._household_columns and given & {"head_id", "head_name", "relation"}:
            given.add("household")
        row = CheckedRow(number=number, cells=cells, key=_key_of_text(values.get("id_number")))
        get = values.get
        id_text = get("id_number") or ""
        name = get("name") or ""
        phone = get("phone") or ""
        contact_phone = get("contact_phone") or ""
        certificate = get("certificate") or ""
        category = get("category")
        level = get("level")
        birth = get("birth_date")
        sex = get("sex")
        address = get("address") or ""
        contact_name = get("contact_name") or ""
        row.fields = frozenset(given & _GIVEN_FIELDS)

        if not name and "name" not in errors:
            errors.setdefault("name", []).append(_("姓名为空"))
        if not id_text and "id_number" not in errors:
            errors.setdefault("id_number", []).append(_("身份证号码为空"))

        region_id = self._region(cells, errors)
        row.region_given = "community" in given or "grid" in given
        tag_ids = self._tags(cells, errors)

        if certificate:
            certificate = _CERT_REISSUE.sub("", normalise_digits(certificate))
            if len(certificate) == 18 and normalise_digits(id_text) == certificate:
                certificate = ""  # the ID written in the certificate column: category and level tell the rest
        if (
            (category is None) != (level is None)
            and not certificate
            and not errors.keys() & {"category", "level"}
        ):
            missing = "level" if level is None else "category"
            errors.setdefault(missing, []).append(_("填写了残疾类别和残疾等级中的一项，另一项为空"))
        category_level = (category, level) if category is not None and level is not None else None

        draft = None
        try:  # the registry's own checks, for every field at once
            draft = person_draft(
                region_id=region_id or 0,
                name=name,
                id_number=id_text,
                phone=phone,
                address=address,
                contact_name=contact_name,
                contact_phone=contact_phone,
                certificate=certificate,
                category_level=category_level,
                tag_ids=tag_ids,
                today=self.today,
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                target = _DRAFT_FIELD.get(key, key)
                if target not in errors:
                    errors.setdefault(target, []).extend(messages)
        if draft is not None:
            self._cross_check(draft, birth, sex, certificate, category_level, errors)
        household = self._household(values, draft, errors) if self._household_columns else None
        if id_text.endswith("000") and len(normalise_digits(id_text)) == 18 and "id_number" in errors:
            errors["id_number"].append(_("号码以000结尾，可能曾被 Excel 当作数字截断"))
        if errors or region_id is None:
            if region_id is None and not errors:
                errors.setdefault("community", []).append(_("未填写社区/村：本次导入的区域不是社区或网格"))
            row.reason = self.reason(errors)
            return row
        row.draft = draft
        row.household = household
        return row

    def _household(
        self, values: dict[str, Any], draft: PersonDraft | None, errors: dict[str, list[str]]
    ) -> tuple[str, int, str, str] | None:
        """The household the row puts its person in (户主身份证号, 与户主关系, 户主姓名), checked."""
        head_text = values.get("head_id") or ""
        relation = values.get("relation")
        head_name = values.get("head_name") or ""
        if not head_text and not relation and not head_name:
            return None
        if draft is None:
            return None  # the row is rejected for its own fields already
        if not head_text:
            if relation == "head" or (head_name and head_name == draft.name and relation is None):
                return draft.id_hash, _key_of_text(draft.id_number) or 0, "head", draft.name
            if "head_id" in self.columns:
                errors.setdefault("head_id", []).append(_("填写了户主姓名或与户主关系，但户主身份证号为空"))
            else:
                errors.setdefault("head_name", []).append(
                    _("只有户主姓名无法确定是哪一户：请增加“户主身份证号”列")
                )
            return None
        try:
            head = parse_id_number(head_text, today=self.today)
        except ValidationError as exc:
            errors.setdefault("head_id", []).extend(exc.messages)
            return None
        own = head.number == draft.id_number
        if own and relation not in (None, "head"):
            errors.setdefault("relation", []).append(_("户主身份证号是本人的，与户主关系应为“户主”"))
            return None
        if not own and relation == "head":
            errors.setdefault("relation", []).append(_("与户主关系为“户主”，但户主身份证号不是本人的"))
            return None
        if own and head_name and head_name != draft.name:
            errors.setdefault("head_name", []).append(_("本行是户主，但户主姓名与姓名不一致"))
            return None
        head_hash = draft.id_hash if own else id_hash(head.number)
        return head_hash, _key_of_text(head.number) or 0, "head" if own else (relation or "other"), head_name

    def _region(self, cells: list[Cell], errors: dict[str, list[str]]) -> int | None:
        """The row's community or grid; a ledger names a few dozen of them: resolved once each."""
        raw = (self._cell(cells, "community"), self._cell(cells, "grid"))
        try:
            found = self._region_memo.get(raw)
        except TypeError:
            found = None
        if found is None:
            found_errors: dict[str, list[str]] = {}
            found = (self._resolve_region(cells, found_errors), found_errors)
            if len(self._region_memo) < 10_000:
                self._region_memo[raw] = found
        region_id, found_errors = found
        for key, messages in found_errors.items():
            errors.setdefault(key, []).extend(messages)
        return region_id

    def _resolve_region(self, cells: list[Cell], errors: dict[str, list[str]]) -> int | None:
        from wushe.core.models import RegionLevel

        community_text = plain_text(self._cell(cells, "community"))
        grid_text = plain_text(self._cell(cells, "grid"))
        community_id = None
        if community_text:
            try:
                community_id = self.regions.community(community_text)
            except CellError as exc:
                errors.setdefault("community", []).append(str(exc))
                return None
        elif self.regions.target_level == RegionLevel.COMMUNITY:
            community_id = self.regions.target_id
        if grid_text:
            try:
                return self.regions.grid(grid_text, community_id)
            except CellError as exc:
                errors.setdefault("grid", []).append(str(exc))
                return None
        if community_id is not None:
            return community_id
        if self.regions.target_level == RegionLevel.GRID:
            return self.regions.target_id
        return None

    def _tags(self, cells: list[Cell], errors: dict[str, list[str]]) -> tuple[int, ...]:
        text = plain_text(self._cell(cells, "tags"))
        if not text:
            return ()
        ids, unknown = [], []
        for part in _TAG_SPLIT.split(text):
            if not part:
                continue
            pk = self.tags.get(region_key(part)) or self.tags.get(part.lower())
            if pk is None:
                unknown.append(part)
            else:
                ids.append(pk)
        if unknown:
            errors.setdefault("tags", []).append(_("未知的人员类别：%(t)s") % {"t": "、".join(unknown)})
        return tuple(dict.fromkeys(ids))

    def _cross_check(
        self,
        draft: PersonDraft,
        birth: Day | None,
        sex: str | None,
        certificate: str,
        category_level: tuple[int, int] | None,
        errors: dict[str, list[str]],
    ) -> None:
        if birth is not None:
            same = (
                (birth.value.year, birth.value.month) == (draft.birth_date.year, draft.birth_date.month)
                if birth.month_only
                else birth.value == draft.birth_date
            )
            if not same:
                errors.setdefault("birth_date", []).append(
                    _("与身份证号码中的出生日期（%(d)s）不一致") % {"d": draft.birth_date.isoformat()}
                )
        if sex is not None and sex != draft.sex:
            errors.setdefault("sex", []).append(
                _("与身份证号码不一致（号码第17位表示%(s)s）")
                % {"s": _("男") if draft.sex == "M" else _("女")}
            )
        if certificate and category_level and draft.certificate and draft.certificate != category_level:
            if draft.certificate[0] != category_level[0]:
                errors.setdefault("category", []).append(
                    _("与残疾人证号第19位（%(c)s）不一致") % {"c": draft.certificate[0]}
                )
            if draft.certificate[1] != category_level[1]:
                errors.setdefault("level", []).append(
                    _("与残疾人证号第20位（%(c)s）不一致") % {"c": draft.certificate[1]}
                )

    def reason(self, errors: dict[str, list[str]]) -> str:
        order = {key: i for i, key in enumerate(self.columns)}
        parts = []
        for key in sorted(errors, key=lambda k: order.get(k, len(order))):
            messages = "；".join(dict.fromkeys(m.rstrip("。") for m in errors[key]))
            parts.append(_("“%(col)s”：%(msg)s") % {"col": self.label(key), "msg": messages})
        return "；".join(parts)


_READERS: dict[str, Any] = {
    "id_number": identifier_text,
    "name": plain_text,
    "phone": identifier_text,
    "contact_phone": identifier_text,
    "certificate": identifier_text,
    "category": to_category,
    "level": to_level,
    "birth_date": to_day,
    "sex": to_sex,
    "address": plain_text,
    "contact_name": plain_text,
    "head_id": identifier_text,
    "head_name": plain_text,
    "relation": to_relation,
}

_GIVEN_FIELDS = frozenset(
    {
        "name",
        "phone",
        "address",
        "contact_name",
        "contact_phone",
        "community",
        "grid",
        "certificate",
        "category",
        "level",
        "tags",
        "household",
    }
)
