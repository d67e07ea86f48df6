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

The package: ``cells`` (the cell parsers), ``regions`` (the region and tag indexes), ``checker``
(the row checker and the checked row with its named household).
"""

from .cells import (
    CATEGORY_NAMES,
    EXACT_DIGITS,
    EXCEL_EPOCH,
    RELATIONS,
    SEXES,
    CellError,
    Day,
    identifier_text,
    identity_key,
    name_text,
    plain_text,
    to_category,
    to_day,
    to_level,
    to_relation,
    to_sex,
)
from .checker import CheckedRow, HouseholdRef, RowChecker
from .regions import RegionIndex, grid_number_key, region_key, tag_index

__all__ = [
    "CATEGORY_NAMES",
    "EXACT_DIGITS",
    "EXCEL_EPOCH",
    "RELATIONS",
    "SEXES",
    "CellError",
    "CheckedRow",
    "Day",
    "HouseholdRef",
    "RegionIndex",
    "RowChecker",
    "grid_number_key",
    "identifier_text",
    "identity_key",
    "name_text",
    "plain_text",
    "region_key",
    "tag_index",
    "to_category",
    "to_day",
    "to_level",
    "to_relation",
    "to_sex",
]
