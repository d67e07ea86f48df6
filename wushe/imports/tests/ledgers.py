"""Real ledger files for the tests, written with XlsxWriter (and the csv module) the way people
make them: title rows, merged header cells, a header over two rows, notes at the bottom."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from wushe.core.idgen import make_certificate_number, make_id_number

HEADER = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "联系电话",
    "家庭住址",
    "所属社区",
    "网格",
    "残疾人证号",
    "类别",
    "等级",
    "人员类别",
]


def ident(n: int, *, birth: datetime.date | None = None, address: str = "370102") -> str:
    """A valid ID number, different for each ``n`` (odd sequence = male)."""
    birth = birth or datetime.date(1950, 1, 1) + datetime.timedelta(days=n * 97 % 20000)
    return make_id_number(address, birth, n % 1000)


def cert(id_number: str, category: int, level: int) -> str:
    return make_certificate_number(id_number, category, level)


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    title: bool = True,
    notes: bool = True,
    two_row_header: bool = True,
) -> Path:
    """A ledger as offices keep them. ``rows`` hold cell values; a value wrapped as ``Number(x)``
    is written as a number cell, a date as a date cell, anything else as text."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("残疾人台账")
    centre = workbook.add_format({"align": "center", "bold": True})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    r = 0
    if title:
        sheet.merge_range(0, 0, 0, len(header) - 1, "市西街道残疾人基本信息台账", centre)
        sheet.write_string(1, 0, "填报单位：市西街道民政所　　填报日期：2024年5月")
        r = 3  # a blank row under the title
    if two_row_header and "类别" in header and "等级" in header:
        k = header.index("类别")
        for c, text in enumerate(header):
            if c in (k, k + 1):
                continue
            sheet.merge_range(r, c, r + 1, c, text, centre)  # vertical merge over both header rows
        sheet.merge_range(r, k, r, k + 1, "残疾情况", centre)
        sheet.write_string(r + 1, k, header[k], centre)
        sheet.write_string(r + 1, k + 1, header[k + 1], centre)
        r += 2
    else:
        for c, text in enumerate(header):
            sheet.write_string(r, c, text, centre)
        r += 1
    for values in rows:
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, Number):
                sheet.write_number(r, c, value.value)
            elif isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write_datetime(r, c, value, date_fmt)
            else:
                sheet.write_string(r, c, str(value))
        r += 1
    if notes:
        r += 1
        sheet.write_string(r, 0, "合计：共计若干人")
        sheet.write_string(r + 1, 0, "填表人：王芳　　审核人：李强　　联系电话：0543-1234567")
    workbook.close()
    return path


def write_xls(path: Path, rows: Sequence[Sequence[Any]], *, header: Sequence[str] = HEADER) -> Path:
    """The same ledger as an old Excel 97–2003 workbook (.xls, BIFF8), written with xlwt: a merged
    title row, the header, number and date cells where given, a note at the bottom."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("残疾人台账")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write_merge(0, 0, 0, len(header) - 1, "市西街道残疾人基本信息台账")
    for c, text in enumerate(header):
        sheet.write(2, c, text)
    r = 3
    for values in rows:
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, Number):
                sheet.write(r, c, value.value)
            elif isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, str(value))
        r += 1
    sheet.write(r + 1, 0, "填表人：王芳　　审核人：李强")
    workbook.save(str(path))
    return path


class Number:
    """A cell Excel holds as a number (as when an ID is typed into a General cell)."""

    def __init__(self, value: float) -> None:
        self.value = value


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, header: Sequence[str], encoding: str) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["市西街道残疾人台账"])
        writer.writerow([])
        writer.writerow(header)
        for values in rows:
            writer.writerow(["" if v is None else str(v) for v in values])
        writer.writerow(["填表人：王芳"])
    return path
