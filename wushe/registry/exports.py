"""The four-colour ledger as an Excel workbook, written row by row (XlsxWriter, constant memory).

Each row is filled with its ledger colour and also names the colour in words, so the sheet
reads the same printed in black and white or by someone who does not tell the colours apart.
ID numbers are masked unless the caller asks for the full numbers (and may see them).
"""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext as _

from .models import DisabilityCertificate, LedgerColour

# Fill and font per colour; the text keeps a contrast of at least 4.5:1 on its fill.
FILLS = {
    LedgerColour.RED: ("#F4C7C3", "#000000"),
    LedgerColour.BLUE: ("#C9DAF8", "#000000"),
    LedgerColour.GREEN: ("#D9EAD3", "#000000"),
    LedgerColour.YELLOW: ("#FFF2CC", "#000000"),
}


@dataclass
class LedgerExport:
    file: IO[bytes]
    rows: int


def _columns() -> list[tuple[str, int]]:
    return [
        (_("社区"), 16),
        (_("网格"), 20),
        (_("姓名"), 10),
        (_("性别"), 6),
        (_("出生日期"), 12),
        (_("身份证号码"), 22),
        (_("残疾类别"), 10),
        (_("残疾等级"), 10),
        (_("台账颜色"), 10),
        (_("住址"), 36),
    ]


def ledger_rows_for_export(rows: Any, *, reveal: bool) -> Any:
    """The ledger rows to write; with ``reveal`` the encrypted ID number is loaded (and decrypted)."""
    if reveal:
        return rows.defer(None).defer("person__phone", "person__contact_phone")
    return rows


def write_ledger_xlsx(
    rows: Iterable[DisabilityCertificate],
    *,
    colours: dict[int, str],
    reveal: bool,
    title: str,
) -> LedgerExport:
    """Write the workbook to an anonymous temporary file and return it open at the start.

    The file is unlinked at once (POSIX keeps it until closed), so nothing is left on disk
    when the response that streams it is closed.
    """
    fd, path = tempfile.mkstemp(prefix="wushe-ledger-", suffix=".xlsx")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "in_memory": False})
        sheet = workbook.add_worksheet(_("四色台账"))
        heading = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#404040", "font_color": "#FFFFFF", "border": 1}
        )
        formats = {
            colour: workbook.add_format({"bg_color": fill, "font_color": font, "border": 1})
            for colour, (fill, font) in FILLS.items()
        }
        date_formats = {
            colour: workbook.add_format(
                {"bg_color": fill, "font_color": font, "border": 1, "num_format": "yyyy-mm-dd"}
            )
            for colour, (fill, font) in FILLS.items()
        }
        plain = workbook.add_format({"border": 1})
        plain_date = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        columns = _columns()
        for i, (_label, width) in enumerate(columns):
            sheet.set_column(i, i, width)
        sheet.write_string(0, 0, title, heading)
        for i, (label, _width) in enumerate(columns):
            sheet.write_string(1, i, str(label), header)
        sheet.freeze_panes(2, 0)
        labels = dict(LedgerColour.choices)
        row_no = 2
        for cert in rows:
            person = cert.person
            region = person.region
            if region.level == "grid" and region.parent is not None:
                community, grid = region.parent.name, region.name
            else:
                community, grid = region.name, ""
            colour = colours.get(cert.category, "")
            fmt = formats.get(colour, plain)  # type: ignore[call-overload]
            dfmt = date_formats.get(colour, plain_date)  # type: ignore[call-overload]
            sheet.write_string(row_no, 0, community, fmt)
            sheet.write_string(row_no, 1, grid, fmt)
            sheet.write_string(row_no, 2, person.name, fmt)
            sheet.write_string(row_no, 3, str(person.get_sex_display()), fmt)
            sheet.write_datetime(
                row_no, 4, datetime.datetime.combine(person.birth_date, datetime.time()), dfmt
            )
            sheet.write_string(row_no, 5, person.id_number if reveal else person.id_masked, fmt)
            sheet.write_string(row_no, 6, str(cert.get_category_display()), fmt)
            sheet.write_string(row_no, 7, str(cert.get_level_display()), fmt)
            sheet.write_string(row_no, 8, str(labels.get(colour, "")), fmt)
            sheet.write_string(row_no, 9, person.address, fmt)
            row_no += 1
        if row_no > 2:
            sheet.autofilter(1, 0, row_no - 1, len(columns) - 1)
        workbook.close()
        handle = open(path, "rb")  # noqa: SIM115 — closed by the FileResponse that streams it
    finally:
        os.unlink(path)
    return LedgerExport(file=handle, rows=row_no - 2)
