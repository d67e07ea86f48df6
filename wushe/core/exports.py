"""One streamed Excel export for every list page.

A list page hands over its rows (an iterator over its own filtered, scoped queryset), its
columns and a title — or, with :func:`records_response`, just its queryset, exported with the
columns its model shows in the drill-down (``core.drill.drill_columns``); :func:`xlsx_response` writes the workbook row by row with XlsxWriter in
constant-memory mode to an anonymous temporary file, records the export as an access event and
streams the file back. ID numbers and phones are masked unless the user has the reveal permission
**and** asked for the full values in a (CSRF-checked) POST: :func:`wants_reveal`.

An export of more than ``WUSHE_EXPORT_INLINE_ROWS`` rows (the view passes ``count``) is not written
while the browser waits: :func:`xlsx_response` records an :class:`~wushe.core.models.ExportJob` and
answers with its page, and the task worker calls the same view again as the requester
(:func:`replay`), with the permissions and scope the requester holds then; the workbook is kept
sealed on disk until it is downloaded or expires (``core.services.export_job_run``). So every
export, however it is made, is one view, one scoping and one access event.
"""

from __future__ import annotations

import datetime
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from wushe.core.models import AccessEventKind, ExportJob
from wushe.core.services import access_event_record, export_job_request

from .drill import prepared_rows, presenter_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 2000  # rows between two progress notes of an export made in the background


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


@dataclass
class Replayed:
    """What the view wrote when the worker called it again for an :class:`ExportJob`."""

    job: ExportJob
    progress: Callable[[int], None]
    written: Written | None = None
    filename: str = ""


class ReplayFailed(Exception):
    """The export's view gave no workbook when called again (the message says why)."""


# set while the task worker replays a job: the view's xlsx_response then writes, whatever its size
_replaying: ContextVar[Replayed | None] = ContextVar("wushe_export_replaying", default=None)


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
    progress: Callable[[int], None] | None = None,
) -> Written:
    """Write the workbook (title row, header row, one row a record) and return it open at the start.

    The file is unlinked at once (POSIX keeps it until closed), so nothing is left on disk when
    the response that streams it is closed. Memory stays flat: XlsxWriter's constant-memory mode
    flushes each row as the next one starts, and ``rows`` should be a queryset iterator.
    ``progress(rows written)`` is called every :data:`PROGRESS_EVERY` rows.
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
            if progress is not None and (n - 2) % PROGRESS_EVERY == 0:
                progress(n - 2)
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
    count: int | None = None,
) -> HttpResponseBase:
    """Write, audit and stream an export. ``export`` names the list (``persons``), ``filters`` are
    the filter values it was made with (no personal data: searches by number never reach here).
    ``count`` (the rows, when the view knows them) over ``WUSHE_EXPORT_INLINE_ROWS``: the export is
    left to the task worker and the answer is the page of its :class:`ExportJob`."""
    replayed = _replaying.get()
    if replayed is None and count is not None and count > settings.WUSHE_EXPORT_INLINE_ROWS:
        job = export_job_request(
            acting_user=request.user,  # type: ignore[arg-type]  # the export views require a login
            request=request,
            title=title,
            export=export,
            total=count,
            reveal=reveal,
            obj=obj,
        )
        return redirect("exports:detail", pk=job.pk)
    written = write_xlsx(
        rows,
        columns=columns,
        title=title,
        sheet=sheet,
        reveal=reveal,
        style=style,
        progress=replayed.progress if replayed is not None else None,
    )
    detail = {"export": export, "filters": filters, "rows": written.rows, "revealed": reveal}
    if replayed is not None:
        detail["export_job"] = replayed.job.pk
        replayed.written, replayed.filename = written, filename
    access_event_record(
        kind=AccessEventKind.EXPORT, user=request.user, request=request, obj=obj, detail=detail
    )
    return FileResponse(written.file, as_attachment=True, filename=filename, content_type=XLSX)


def replay(job: ExportJob, progress: Callable[[int], None]) -> Replayed:
    """Call the job's export view again as its requester — every decorator (sign-in, capability,
    replica) and the view's own scoping apply as they would to the requester now — and return the
    workbook it wrote. :class:`ReplayFailed` when it wrote none: the capability or the object is
    gone, or the filter no longer holds."""
    user = job.requested_by
    if not user.is_active:
        raise ReplayFailed(_("申请人的账号已停用"))
    try:
        match = resolve(job.path)
    except Resolver404:
        raise ReplayFailed(_("导出地址已不存在")) from None
    request = HttpRequest()
    request.method = job.method
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.POST = QueryDict(job.form)
    request.META = {"REQUEST_METHOD": request.method, "QUERY_STRING": job.query, "SERVER_NAME": "worker"}
    request.user = user
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]  # a view's notes go nowhere
    replayed = Replayed(job=job, progress=progress)
    token = _replaying.set(replayed)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            response = match.func(request, *match.args, **match.kwargs)
    except PermissionDenied:
        raise ReplayFailed(_("申请人已无导出这些记录的权限")) from None
    except Http404:
        raise ReplayFailed(_("要导出的记录已不在申请人的范围内")) from None
    finally:
        _replaying.reset(token)
    if replayed.written is None:  # a redirect or an error page; not closed: closing a response
        # sends request_finished, which would close the worker's database connection mid-task
        raise ReplayFailed(
            _("导出条件已失效（状态 %(status)s），请在列表页重新导出") % {"status": response.status_code}
        )
    return replayed


def records_response(
    request: HttpRequest,
    *,
    records: QuerySet[Any],
    name: str | Promise,
    export: str,
    obj: Any = None,
) -> HttpResponseBase:
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
        count=records.count(),
        rows=prepared_rows(records.iterator(chunk_size=2000), presenter),
        columns=columns,
        title=title,
        sheet=str(name),
        filename=f"{where + '-' if where else ''}{name}-{day:%Y%m%d}.xlsx",
        export=export,
        obj=obj,
        filters=params.dict(),
    )
