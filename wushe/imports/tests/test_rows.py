"""Cell conversions: numbers Excel mangled, dates as people type them, categories and levels."""

from __future__ import annotations

import datetime

import pytest

from wushe.imports.rows import (
    CellError,
    grid_number_key,
    identifier_text,
    identity_key,
    to_category,
    to_day,
    to_level,
    to_sex,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("370102198005031234", "370102198005031234"),
        ("３７０１０２１９８００５０３１２３４", "370102198005031234"),  # full-width
        (" 370102 19800503 123x ", "370102 19800503 123x"),  # spaces kept for the ID check to remove
        (13812345678.0, "13812345678"),  # a mobile number in a number cell is exact
        (370102800503123.0, "370102800503123"),  # so is a 15-digit legacy ID
        ("13812345678.0", "13812345678"),  # a CSV of such a cell
        ("", ""),
        (None, ""),
    ],
)
def test_identifier_text_accepts_exact_values(value: object, expected: str) -> None:
    assert identifier_text(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        3.701021980050312e17,  # an 18-digit ID typed into a number cell
        370102198005031000.0,
        "3.70102198005031E+17",  # the same, saved to CSV
        "3.70102e+17",
        "1.38123E+10",  # a phone in scientific notation
        "370102198005031234.0",  # more than 15 digits shown as a float
        37010219800503123456.0,  # a certificate number
    ],
)
def test_identifier_text_rejects_lost_digits(value: object) -> None:
    with pytest.raises(CellError, match="数字已经丢失"):
        identifier_text(value)


def test_identity_key_widens_legacy_numbers() -> None:
    assert identity_key("370102198005031234") == 37010219800503123
    assert identity_key("370102800503123") == 37010219800503123  # 15 digits: 19 inserted
    assert identity_key("３７０１０２１９８００５０３１２３x") == 37010219800503123
    assert identity_key(3.70102198005031e17) is None
    assert identity_key("abc") is None


@pytest.mark.parametrize(
    "value",
    [
        "1980-05-03",
        "1980/5/3",
        "1980.5.3",
        "1980年5月3日",
        "１９８０年５月３日",
        "1980-5-3 00:00:00",
        "19800503",
        19800503.0,
        29344.0,  # an Excel serial number
        "29344",
        datetime.date(1980, 5, 3),
        datetime.datetime(1980, 5, 3, 0, 0),  # noqa: DTZ001 — calamine gives date cells naive
    ],
)
def test_dates_in_the_forms_people_type(value: object) -> None:
    day = to_day(value)
    assert day is not None and day.value == datetime.date(1980, 5, 3) and not day.month_only


def test_month_only_dates() -> None:
    for value in ("1980.05", "1980年5月", "198005"):
        day = to_day(value)
        assert day is not None and day.month_only and (day.value.year, day.value.month) == (1980, 5)


@pytest.mark.parametrize("value", ["1980-13-01", "1980-02-30", "去年", "5/3"])
def test_bad_dates(value: str) -> None:
    with pytest.raises(CellError):
        to_day(value)


def test_categories_and_levels_as_names_or_codes() -> None:
    assert [to_category(v) for v in ("肢体", "肢体残疾", "肢残", "4", 4.0, " 精神 ", "多重残疾")] == [
        4,
        4,
        4,
        4,
        4,
        6,
        7,
    ]
    assert [to_level(v) for v in ("二级", "2级", "2", 2.0, "贰级", "Ⅱ", "II级", "一级残疾", "第三级")] == [
        2, 2, 2, 2, 2, 2, 2, 1, 3
    ]  # fmt: skip
    for bad in ("8", "听力言语", "轻度"):
        with pytest.raises(CellError):
            to_category(bad)
    for bad in ("5", "五级", "重度"):
        with pytest.raises(CellError):
            to_level(bad)
    assert to_category("") is None and to_level(None) is None


def test_sex() -> None:
    assert [to_sex(v) for v in ("男", "女", "男性", "F", "1", 2.0)] == ["M", "F", "M", "F", "M", "F"]
    with pytest.raises(CellError):
        to_sex("未知")


def test_grid_numbers() -> None:
    assert {grid_number_key(v) for v in ("第一网格", "1网格", "网格1", "一网格", "第1网格", "01号网格")} == {
        "#1"
    }
    assert grid_number_key("第十二网格") == "#12"
    assert grid_number_key("幸福网格") == "幸福网格"
