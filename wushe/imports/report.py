"""The error report: the rejected rows as they were in the file, with a column saying what is wrong.

Written row by row with XlsxWriter's constant-memory mode; every cell is text (an ID number must
not become a number again), so the user can correct the rows and upload the sheet as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext as _

from .models import ImportJob, ImportRow, RowOutcome


def write_error_report(job: ImportJob, phase: str, target: str | Path | IO[bytes]) -> int:
    """Write the rejected rows of ``job``'s ``phase`` to ``target``; return how many."""
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "in_memory": False, "strings_to_numbers": False}
    )
    try:
        sheet = workbook.add_worksheet(_("未通过的行"))
        text = workbook.add_format({"num_format": "@"})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#404040", "font_color": "#FFFFFF", "num_format": "@"}
        )
        reason = workbook.add_format({"num_format": "@", "font_color": "#9C0006", "text_wrap": True})
        headers = [_("原行号"), _("问题"), *[str(h) for h in job.headers]]
        sheet.set_column(0, 0, 8, text)
        sheet.set_column(1, 1, 48, reason)
        sheet.set_column(2, max(2, len(headers) - 1), 16, text)
        for col, title in enumerate(headers):
            sheet.write_string(0, col, title, header)
        sheet.freeze_panes(1, 2)
        rows = (
            # rejected rows, and rows registered but not joined to their household (fixed and
            # uploaded again, they join it)
            ImportRow.objects.filter(
                job=job, phase=phase, outcome__in=[RowOutcome.REJECTED, RowOutcome.UNLINKED]
            )
            .order_by("row_number")
            .values_list("row_number", "message", "values")
        )
        count = 0
        for count, (number, message, values) in enumerate(rows.iterator(chunk_size=2000), start=1):
            sheet.write_string(count, 0, str(number), text)
            sheet.write_string(count, 1, message, reason)
            for col, value in enumerate(_cells(values), start=2):
                if value:
                    sheet.write_string(count, col, value, text)
        return count
    finally:
        workbook.close()


def _cells(values: Any) -> list[str]:
    try:
        cells = json.loads(values or "[]")
    except ValueError:
        return []
    return [str(c) if c is not None else "" for c in cells]
