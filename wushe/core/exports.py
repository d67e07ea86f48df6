"""One streamed Excel export for every list page.

A list page hands over its rows (an iterator over its own filtered, scoped queryset), its
columns and a title — or, with :func:`records_response`, just its queryset, exported with the
columns its model shows in the drill-down (``core.drill.drill_columns``); :func:`xlsx_response` writes the workbook row by row with XlsxWriter in
constant-memory mode to an anonymous temporary file, records the export as an access event and
streams the file back. ID numbers and phones are masked unless the user has the reveal permission
**and** asked for the full values in a (CSRF-checked) POST: :func:`wants_reveal`.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.functional import Promise

from wushe.core.models import AccessEventKind
from wushe.core.services import access_event_record

from .drill import prepared_rows, presenter_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Any], Any]  # (row) -> the cell's value
    width: int = 14
    revealed: Callable[[Any], Any] | None = None  # the full value, used only when revealing


@dataclass(frozen=True)
class Style:
    """A row fill (the ledger colours): ``row_style(row)`` names one of ``fills``."""

    fills: dict[str, tuple[str, str]]  # name -> (background, font colour)
    row_style: Callable[[Any], str]


@dataclass
class Written:
    file: IO[bytes]
    rows: int


def wants_reveal(request: HttpRequest, *, perm: str) -> bool:
    """Full numbers only on a POST asking ``reveal=1`` by a user with the permission."""
    return request.method == "POST" and request.POST.get("reveal") == "1" and request.user.has_perm(perm)


def write_xlsx(
    rows: Iterable[Any],
    *,
    columns: Sequence[Column],
    title: str,
    sheet: str,
    reveal: bool = False,
    style: Style | None = None,
) -> Written:
    """Write the workbook (title row, header row, one row a record) and return it open at the start.

    The file is unlinked at once (POSIX keeps it until closed), so nothing is left on disk when
    the response that streams it is closed. Memory stays flat: XlsxWriter's constant-memory mode
    flushes each row as the next one starts, and ``rows`` should be a queryset iterator.
    """
    fd, path = tempfile.mkstemp(prefix="wushe-export-", suffix=".xlsx")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "in_memory": False})
        ws = workbook.add_worksheet(sheet[:31])
        heading = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#404040", "font_color": "#FFFFFF", "border": 1}
        )
        plain = workbook.add_format({"border": 1})
        plain_date = workbook.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        fills: dict[str, tuple[Any, Any]] = {}
        if style is not None:
            for name, (bg, font) in style.fills.items():
                fills[name] = (
                    workbook.add_format({"bg_color": bg, "font_color": font, "border": 1}),
                    workbook.add_format(
                        {"bg_color": bg, "font_color": font, "border": 1, "num_format": "yyyy-mm-dd"}
                    ),
                )
        for i, col in enumerate(columns):
            ws.set_column(i, i, col.width)
        ws.write_string(0, 0, title, heading)
        for i, col in enumerate(columns):
            ws.write_string(1, i, str(col.label), header)
        ws.freeze_panes(2, 0)
        n = 2
        for row in rows:
            fmt, dfmt = fills.get(style.row_style(row), (plain, plain_date)) if style else (plain, plain_date)
            for i, col in enumerate(columns):
                getter = col.revealed if (reveal and col.revealed is not None) else col.value
                _write(ws, n, i, getter(row), fmt, dfmt)
            n += 1
        if n > 2:
            ws.autofilter(1, 0, n - 1, len(columns) - 1)
        workbook.close()
        handle = open(path, "rb")  # noqa: SIM115 — closed by the FileResponse that streams it
    finally:
        os.unlink(path)
    return Written(file=handle, rows=n - 2)


def _write(ws: Any, r: int, c: int, value: Any, fmt: Any, dfmt: Any) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        ws.write_datetime(r, c, local.replace(tzinfo=None), dfmt)
    elif isinstance(value, datetime.date):
        ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), dfmt)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(r, c, float(value), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def xlsx_response(
    request: HttpRequest,
    *,
    rows: Iterable[Any],
    columns: Sequence[Column],
    title: str,
    sheet: str,
    filename: str,
    export: str,
    filters: dict[str, Any],
    reveal: bool = False,
    obj: Any = None,
    style: Style | None = None,
) -> FileResponse:
    """Write, audit and stream an export. ``export`` names the list (``persons``), ``filters`` are
    the filter values it was made with (no personal data: searches by number never reach here)."""
    written = write_xlsx(rows, columns=columns, title=title, sheet=sheet, reveal=reveal, style=style)
    access_event_record(
        kind=AccessEventKind.EXPORT,
        user=request.user,
        request=request,
        obj=obj,
        detail={"export": export, "filters": filters, "rows": written.rows, "revealed": reveal},
    )
    return FileResponse(written.file, as_attachment=True, filename=filename, content_type=XLSX)


def records_response(
    request: HttpRequest,
    *,
    records: QuerySet[Any],
    name: str | Promise,
    export: str,
    obj: Any = None,
) -> FileResponse:
    """A list page's (or a drill-down's) records as .xlsx, with the columns the drill-down shows
    for their model — masked personal data only — titled with ``name``, the region and the day,
    and audited with the page's query string as its filters."""
    presenter = presenter_for(records.model)
    if presenter.defer:  # the model's encrypted fields stay unread, as on the drill-down page
        records = records.defer(*presenter.defer)
    columns = [Column(c.label, c.value, c.width) for c in presenter.columns]
    params = request.GET.copy()
    params.pop("page", None)
    day = timezone.localdate()
    where = str(getattr(obj, "name", "") or "")
    title = f"{where} {name}（{day.isoformat()}）".strip()
    return xlsx_response(
        request,
        rows=prepared_rows(records.iterator(chunk_size=2000), presenter),
        columns=columns,
        title=title,
        sheet=str(name),
        filename=f"{where + '-' if where else ''}{name}-{day:%Y%m%d}.xlsx",
        export=export,
        obj=obj,
        filters=params.dict(),
    )
