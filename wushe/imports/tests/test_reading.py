"""Finding the header in real ledgers and streaming their rows."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xlsxwriter

from wushe.imports import reading
from wushe.imports.reading import ReadError, detect_file_type, guess_mapping, open_table

from .ledgers import HEADER, Number, write_csv, write_xls, write_xlsx


def test_header_below_title_rows_with_merged_cells(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [[1, "张三", "男", "370102198005031234"]])
    table = open_table(path, "xlsx")
    assert (table.header_first, table.header_last) == (4, 5)  # two header rows under the title
    assert table.headers == HEADER  # 残疾情况 spans 类别 | 等级: the sub-headers name the columns
    assert table.title.startswith("市西街道残疾人基本信息台账")
    assert guess_mapping(table.headers) == [
        "", "name", "sex", "id_number", "birth_date", "phone", "address", "community", "grid",
        "certificate", "category", "level", "tags",
    ]  # fmt: skip
    rows = list(table.data_rows())
    assert [n for n, _cells in rows] == [6]  # the 合计 and 填表人 notes are not data
    table.close()


def test_empty_rows_notes_and_repeated_headers_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(2, 1, ["姓名", "身份证号", "手机号"])  # starts at B3
    ws.write_row(3, 1, ["张三", "370102198005031234", "13812345678"])
    ws.write_row(5, 1, ["姓名", "身份证号", "手机号"])  # a second page pasted under the first
    ws.write_row(6, 1, ["李四", "370102198005031234", ""])
    ws.write_row(8, 1, ["备注：以上信息由社区核实"])
    ws.write_row(9, 1, ["审核人：", "", "日期：2024年5月"])
    wb.close()
    table = open_table(path, "xlsx")
    assert table.header_first == 3 and table.headers == ["", "姓名", "身份证号", "手机号"]
    assert [(n, c[1]) for n, c in table.data_rows()] == [(4, "张三"), (7, "李四")]


def test_synonyms_and_hints_in_headers() -> None:
    assert guess_mapping(["公民身份号码（18位）*", "姓 名", "手机号码", "家庭住址及门牌号", "残疾证号", "户主身份证号码"]) == [
        "id_number", "name", "phone", "address", "certificate", "head_id"
    ]  # fmt: skip
    # a field goes to its first column only
    assert guess_mapping(["姓名", "身份证号", "联系电话", "手机"]) == ["name", "id_number", "phone", ""]


def test_no_header_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet().write_row(0, 0, ["甲", "乙", "丙"])
    wb.close()
    with pytest.raises(ReadError, match="没有找到表头"):
        open_table(path, "xlsx")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["张三", "370102198005031234", "13812345678", "甲社区"],
            ["李𠀀", "37010219800503124X", "", "乙社区"],
        ],
        header=["姓名", "身份证号码", "联系电话", "社区"],
        encoding=encoding,
    )
    assert reading.detect_csv_encoding(path) == encoding
    table = open_table(path, "csv")
    assert table.header_first == 3 and table.headers == ["姓名", "身份证号码", "联系电话", "社区"]
    assert [c[0] for _n, c in table.data_rows()] == ["张三", "李𠀀"]


def test_file_types(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path / "e.xlsx", [])
    assert detect_file_type(xlsx, "台账.xlsx") == "xlsx"
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError, match="不支持的文件类型“.pdf”"):
        detect_file_type(pdf, "f.pdf")
    fake = tmp_path / "g.xlsx"
    fake.write_text("姓名,身份证号\n")
    with pytest.raises(ReadError, match="不是 Excel 工作簿"):
        detect_file_type(fake, "g.xlsx")
    empty = tmp_path / "h.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match="文件是空的"):
        detect_file_type(empty, "h.csv")


def test_cell_text() -> None:
    assert reading.cell_text(13812345678.0) == "13812345678"
    assert reading.cell_text(3.701021980050312e17) == "3.701021980050312E+17"
    assert reading.cell_text(datetime.date(1980, 5, 3)) == "1980-05-03"


def test_xls_workbook(tmp_path: Path) -> None:
    """A real Excel 97–2003 workbook: found by its magic bytes (even misnamed), header under the
    merged title, number and date cells kept as such for the checks."""
    rows = [
        [1, "张三", "男", "370102198005031234", datetime.date(1980, 5, 3), Number(13812345678)],
        [2, "李四", "女", Number(370102198005031234), "1980/5/3", "138 1234 5678"],
    ]
    path = write_xls(tmp_path / "old.xls", rows)
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file
    assert detect_file_type(path, "台账.xls") == "xls"
    misnamed = tmp_path / "old.xlsx"
    misnamed.write_bytes(path.read_bytes())
    assert detect_file_type(misnamed, "台账.xlsx") == "xls"
    table = open_table(path, "xls")
    assert table.header_first == 3 and table.headers == HEADER
    assert table.title == "市西街道残疾人基本信息台账"
    data = list(table.data_rows())
    assert [n for n, _c in data] == [4, 5]  # the 填表人 note is not data
    first, second = data[0][1], data[1][1]
    assert first[1] == "张三" and first[3] == "370102198005031234"
    assert isinstance(first[4], datetime.date) and first[4].year == 1980  # a date cell
    assert first[5] == 13812345678.0  # a number cell: calamine gives a float
    assert isinstance(second[3], float)  # the ID typed into a number cell, digits lost
    table.close()
