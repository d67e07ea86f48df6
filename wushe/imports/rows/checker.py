"""The row checker: one ledger row turned into a checked person draft (or the reason it is
rejected, naming each column at fault), with the household it names."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from operator import attrgetter
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wushe.core.validators import normalise_digits, parse_id_number
from wushe.registry.identity import id_hash
from wushe.registry.services import PersonDraft, person_draft

from ..reading import Cell, is_blank
from .cells import (
    CERT_REISSUE,
    CellError,
    Day,
    identifier_text,
    identity_key,
    key_of_text,
    name_text,
    plain_text,
    to_category,
    to_day,
    to_level,
    to_relation,
    to_sex,
)
from .regions import TAG_SPLIT, RegionIndex, region_key

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


class HouseholdRef(NamedTuple):
    """The household a row puts its person in, from 户主身份证号 / 与户主关系 / 户主姓名; the
    head's own row has its own hash and the relation "head"."""

    head_hash: str  # the head's ID hash
    head_key: int  # the head's identity key
    relation: str
    head_name: str  # as written


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
    household: HouseholdRef | None = None

    @property
    def ok(self) -> bool:
        return self.draft is not None and not self.reason

    @property
    def checked_draft(self) -> PersonDraft:
        """The draft of a row that passed its checks (a rejected row has none to write)."""
        assert self.draft is not None, self.number
        return self.draft

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
        from ..reading import FIELD_BY_KEY

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
        row = CheckedRow(number=number, cells=cells, key=key_of_text(values.get("id_number")))
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
            certificate = CERT_REISSUE.sub("", normalise_digits(certificate))
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
    ) -> HouseholdRef | None:
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
                return HouseholdRef(draft.id_hash, key_of_text(draft.id_number) or 0, "head", draft.name)
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
        return HouseholdRef(
            head_hash, key_of_text(head.number) or 0, "head" if own else (relation or "other"), head_name
        )

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
        for part in TAG_SPLIT.split(text):
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
    "name": name_text,
    "phone": identifier_text,
    "contact_phone": identifier_text,
    "certificate": identifier_text,
    "category": to_category,
    "level": to_level,
    "birth_date": to_day,
    "sex": to_sex,
    "address": plain_text,
    "contact_name": name_text,
    "head_id": identifier_text,
    "head_name": name_text,
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
