"""Reading the ledgers people keep: .xlsx/.xls (python-calamine) and .csv (UTF-8 or GB18030).

A ledger rarely starts with its header: there are title rows (``市西街道残疾人台账``), a line
naming the office and the date, blank rows, and headers spread over two rows under merged
cells (``残疾情况`` over ``类别 | 等级``). :func:`open_table` finds the header row by the
column names it recognises (:data:`FIELDS`, the one place that lists them with their
synonyms), joins a two-row header, and then streams the data rows, skipping empty rows,
repeated header rows and note rows (填表人, 审核人, 合计 …).

Rows come out as ``(row_number, cells)`` where ``row_number`` is the row as Excel numbers it
and ``cells`` keep their type as read (calamine gives whole numbers as floats and date cells
as dates; a .csv gives strings), so that :mod:`wushe.imports.rows` can tell a number Excel
mangled from a number typed as text.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .columns import (  # noqa: F401 — re-exported: the columns are read through this module
    FIELD_BY_KEY,
    FIELDS,
    NOTE_PREFIXES,
    REQUIRED_FIELDS,
    Field,
    cell_text,
    field_for_header,
    guess_mapping,
    header_shape,
    is_blank,
    is_note_row,
    normalise_header,
)

Cell = Any  # str | int | float | bool | date | datetime | time | timedelta | None

HEADER_SCAN_ROWS = 30  # the header is looked for among the first rows
CSV_SAMPLE_BYTES = 1 << 20


class ReadError(Exception):
    """The file cannot be read as a ledger; the message says why, in the user's language."""


# ---- the table -----------------------------------------------------------------------------

FILE_TYPES = ("xlsx", "xls", "csv")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_file_type(path: Path | str, name: str = "") -> str:
    """``xlsx``, ``xls`` or ``csv`` from the name's extension, confirmed by the file's first bytes."""
    ext = Path(name or str(path)).suffix.lower().lstrip(".")
    if ext in ("xlsm",):
        ext = "xlsx"
    if ext not in FILE_TYPES:
        raise ReadError(
            _("不支持的文件类型“%(ext)s”：请上传 Excel 工作簿（.xlsx、.xls）或 CSV 文件（.csv）")
            % {"ext": "." + ext if ext else _("无扩展名")}
        )
    with _open_binary(path) as fh:
        head = fh.read(8)
    if not head:
        raise ReadError(_("文件是空的"))
    if ext == "xlsx" and not head.startswith(_ZIP_MAGIC):
        if head.startswith(_OLE_MAGIC):
            return "xls"  # an old workbook saved with the new extension: calamine reads both
        raise ReadError(_("文件扩展名是 .xlsx，但内容不是 Excel 工作簿：请在 Excel 中另存为 .xlsx 后再上传"))
    if ext == "xls" and not head.startswith(_OLE_MAGIC):
        if head.startswith(_ZIP_MAGIC):
            return "xlsx"
        raise ReadError(_("文件扩展名是 .xls，但内容不是 Excel 工作簿：请在 Excel 中另存为 .xlsx 后再上传"))
    if ext == "csv" and (head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC)):
        raise ReadError(_("文件扩展名是 .csv，但内容是 Excel 工作簿：请把扩展名改为 .xlsx 或 .xls"))
    return ext


@dataclass
class Table:
    """One sheet of a ledger, its header found."""

    path: str
    file_type: str
    sheet_name: str
    header_first: int  # Excel row numbers (1-based) of the header rows
    header_last: int
    headers: list[str]
    title: str = ""
    encoding: str = ""
    delimiter: str = ","
    width: int = 0
    _workbook: Any = field(default=None, repr=False)
    _sheet: Any = field(default=None, repr=False)  # calamine loads the whole sheet: once per table

    def raw_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """Every row after the header (empty and note rows included), numbered as in Excel."""
        for number, cells in _iter_all(self):
            if number > self.header_last:
                yield number, cells

    def data_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """The rows that hold data: not empty, not a note, not the header repeated."""
        width = len(self.headers)
        header_norm = [normalise_header(h) for h in self.headers]
        for number, cells in self.raw_rows():
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            first = next((c for c in cells if not is_blank(c)), None)
            if first is None:
                continue  # an empty row
            # notes and repeated headers start with words, data rows with a number or a name
            words = isinstance(first, str) and not first[:1].isdigit()
            if words and (is_note_row(cells) or _is_header_repeat(cells, header_norm)):
                continue
            yield number, cells

    def close(self) -> None:
        self._sheet = None
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None


def _is_header_repeat(cells: list[Cell], header_norm: list[str]) -> bool:
    first = next((i for i, c in enumerate(cells) if not is_blank(c)), None)
    if first is None or first >= len(header_norm) or not isinstance(cells[first], str):
        return False
    if normalise_header(cells[first]) != header_norm[first] or not header_norm[first]:
        return False
    same = sum(
        1
        for c, h in zip(cells, header_norm, strict=False)
        if h and isinstance(c, str) and normalise_header(c) == h
    )
    return same >= max(2, sum(1 for h in header_norm if h) // 2)


def _iter_all(table: Table) -> Iterator[tuple[int, list[Cell]]]:
    if table.file_type == "csv":
        yield from _iter_csv(table.path, table.encoding, table.delimiter)
        return
    sheet = _sheet(table)
    start = sheet.start
    if start is None:
        return
    first_row, first_col = start
    pad = [""] * first_col
    rows = sheet.iter_rows()
    first = next(rows, None)
    if first is None:
        return
    # calamine (0.9) yields rows from the sheet's first row but columns from the used range's
    # first column; an empty first row while the range starts lower tells which numbering it uses
    offset = 0 if first_row and all(is_blank(c) for c in first) else first_row
    yield offset + 1, (pad + first) if first_col else first
    for i, cells in enumerate(rows, start=2):
        yield offset + i, (pad + cells) if first_col else cells


def _open_binary(path: Path | str) -> Any:
    """The file's clear bytes: an uploaded ledger is stored encrypted (:mod:`.storage`)."""
    from .storage import open_plain

    return open_plain(path)


def _open_text(path: Path | str, encoding: str, errors: str = "strict") -> Any:
    return io.TextIOWrapper(_open_binary(path), encoding=encoding, errors=errors, newline="")


def _load_workbook(path: Path | str) -> Any:
    """calamine's workbook; an encrypted ledger is decrypted into memory, never onto the disk."""
    from python_calamine import CalamineWorkbook

    from .storage import is_encrypted, read_plain

    if is_encrypted(path):
        return CalamineWorkbook.from_filelike(io.BytesIO(read_plain(path)))
    return CalamineWorkbook.from_path(str(path))


def _sheet(table: Table) -> Any:
    if table._workbook is None:
        try:
            table._workbook = _load_workbook(table.path)
        except Exception as exc:  # noqa: BLE001 — calamine raises several kinds for a damaged file
            raise ReadError(
                _("无法读取该 Excel 文件（文件可能已损坏或设有密码）：%(e)s") % {"e": exc}
            ) from None
    if table._sheet is None:
        from .limits import shape_of_sheet

        sheet = table._workbook.get_sheet_by_name(table.sheet_name)
        shape_of_sheet(sheet, _("工作表“%(s)s”") % {"s": table.sheet_name})
        table._sheet = sheet
    return table._sheet


# ---- CSV -----------------------------------------------------------------------------------


def detect_csv_encoding(path: Path | str) -> str:
    """``utf-8-sig`` (with a BOM), ``utf-8``, ``utf-16`` or ``gb18030``: UTF-8 is tried first, as GB18030
    decodes almost any bytes without complaint."""
    with _open_binary(path) as fh:
        sample = fh.read(CSV_SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
    except UnicodeDecodeError:
        raise ReadError(_("无法识别 CSV 文件的文字编码：请另存为 UTF-8 或 GB18030（GBK）编码")) from None
    return "gb18030"


def _sniff_delimiter(path: Path | str, encoding: str) -> str:
    with _open_text(path, encoding, errors="replace") as fh:
        sample = fh.read(64 * 1024)
    counts = {d: sample.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _iter_csv(path: str, encoding: str, delimiter: str) -> Iterator[tuple[int, list[Cell]]]:
    with _open_text(path, encoding) as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):  # noqa: B007 — number is used after the loop
                yield number, cells
        except UnicodeDecodeError:
            raise ReadError(
                _("CSV 文件第 %(n)d 行附近的文字编码与文件开头不一致（%(enc)s）：请整体另存为 UTF-8 后再上传")
                % {"n": number + 1, "enc": encoding}
            ) from None
        except csv.Error as exc:
            raise ReadError(_("CSV 文件第 %(n)d 行格式有误：%(e)s") % {"n": number + 1, "e": exc}) from None


# ---- finding the header --------------------------------------------------------------------


def _row_fields(cells: list[Cell]) -> list[str]:
    return [field_for_header(c) if isinstance(c, str) else "" for c in cells]


def _score(cells: list[Cell]) -> int:
    return len({f for f in _row_fields(cells) if f})


def _has_numbers(cells: list[Cell]) -> bool:
    return any(isinstance(c, (int, float)) and not isinstance(c, bool) for c in cells)


def _find_header(rows: list[tuple[int, list[Cell]]]) -> tuple[int, int, list[str]] | None:
    """(first, last, headers) of the header block among the first rows, or None."""
    best_i, best = -1, 0
    for i, (_number, cells) in enumerate(rows):
        score = _score(cells)
        if score > best:
            best_i, best = i, score
    if best < 2:
        return None
    width = max(len(c) for _, c in rows)
    block = [best_i]
    # A header spread over two rows: merged cells above (残疾情况 over 类别 | 等级) or below.
    for j in (best_i + 1, best_i - 1):
        if not 0 <= j < len(rows):
            continue
        fields_j = _row_fields(rows[j][1])
        fields_best = _row_fields(rows[best_i][1])
        adds = [
            k
            for k, f in enumerate(fields_j)
            if f and (k >= len(fields_best) or not fields_best[k]) and f not in fields_best
        ]
        if adds and not _has_numbers(rows[j][1]):
            block.append(j)
    block.sort()
    # a header block may start higher: rows above that also read as headers (merged cells)
    while block[0] > 0 and _score(rows[block[0] - 1][1]) >= 2 and not _has_numbers(rows[block[0] - 1][1]):
        block.insert(0, block[0] - 1)
    headers: list[str] = []
    for col in range(width):
        texts = [cell_text(rows[j][1][col]) if col < len(rows[j][1]) else "" for j in block]  # top to bottom
        recognised = [t for t in reversed(texts) if t and field_for_header(t)]
        combined = "".join(t for t in texts if t)
        if recognised:
            headers.append(recognised[0])
        elif combined and field_for_header(combined):
            headers.append(combined)
        else:
            headers.append(next((t for t in reversed(texts) if t), ""))
    while headers and not headers[-1]:
        headers.pop()
    return rows[block[0]][0], rows[block[-1]][0], headers


def _fill_merged(rows: list[tuple[int, list[Cell]]], merged: list[Any] | None, first_row: int) -> None:
    """Give every cell of a merged range the value of its top-left cell (header rows only)."""
    if not merged:
        return
    by_number = {n: cells for n, cells in rows}
    for (r0, c0), (r1, c1) in merged:
        top = by_number.get(r0 + 1)
        if top is None or c0 >= len(top):
            continue
        value = top[c0]
        if r1 == r0:  # horizontal: 残疾情况 over two columns — the sub-headers name them
            continue
        for r in range(r0 + 1, r1 + 2):
            cells = by_number.get(r)
            if cells is None:
                continue
            for c in range(c0, c1 + 1):
                if c < len(cells) and is_blank(cells[c]):
                    cells[c] = value


def open_table(path: Path | str, file_type: str, *, sheet_name: str = "") -> Table:
    """Open the ledger and find its header. Raise :class:`ReadError` with the reason if it has none."""
    path = str(path)
    if file_type == "csv":
        encoding = detect_csv_encoding(path)
        delimiter = _sniff_delimiter(path, encoding)
        table = Table(path, "csv", "", 0, 0, [], encoding=encoding, delimiter=delimiter)
        return _with_header(table, merged=None)
    try:
        workbook = _load_workbook(path)
    except Exception as exc:  # noqa: BLE001
        raise ReadError(_("无法读取该 Excel 文件（文件可能已损坏或设有密码）：%(e)s") % {"e": exc}) from None
    names = [
        m.name
        for m in workbook.sheets_metadata
        if str(m.visible).endswith("Visible") and str(m.typ).endswith("WorkSheet")
    ] or list(workbook.sheet_names)
    if sheet_name:
        names = [sheet_name]
    last_error: ReadError | None = None
    for name in names:
        table = Table(path, file_type, name, 0, 0, [], _workbook=workbook)
        try:
            sheet = _sheet(table)
            return _with_header(table, merged=sheet.merged_cell_ranges)
        except ReadError as exc:
            last_error = exc
    workbook.close()
    raise last_error or ReadError(_("工作簿中没有工作表"))


def _with_header(table: Table, *, merged: list[Any] | None) -> Table:
    head: list[tuple[int, list[Cell]]] = []
    for number, cells in _iter_all(table):
        head.append((number, list(cells)))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    if not head:
        raise ReadError(_("工作表“%(s)s”是空的") % {"s": table.sheet_name or "CSV"})
    _fill_merged(head, merged, head[0][0])
    found = _find_header(head)
    if found is None:
        raise ReadError(
            _("在工作表“%(s)s”的前 %(n)d 行中没有找到表头：表头应含有“姓名”“身份证号码”等列名")
            % {"s": table.sheet_name or "CSV", "n": HEADER_SCAN_ROWS}
        )
    table.header_first, table.header_last, table.headers = found
    table.width = len(table.headers)
    title_rows = [n for n, _c in head if n < table.header_first]
    table.title = " ".join(
        " ".join(cell_text(c) for c in cells if not is_blank(c)) for n, cells in head if n in title_rows
    ).strip()[:200]
    return table


def reopen(
    path: Path | str,
    file_type: str,
    *,
    sheet_name: str,
    header_first: int,
    header_last: int,
    headers: list[str],
) -> Table:
    """The table as found at upload (no second guess of the header), for checking and committing."""
    path = str(path)
    if file_type == "csv":
        encoding = detect_csv_encoding(path)
        return Table(
            path,
            "csv",
            "",
            header_first,
            header_last,
            list(headers),
            encoding=encoding,
            delimiter=_sniff_delimiter(path, encoding),
            width=len(headers),
        )
    return Table(path, file_type, sheet_name, header_first, header_last, list(headers), width=len(headers))


def file_sha256(fileobj: Any) -> str:
    digest = hashlib.sha256()
    if hasattr(fileobj, "chunks"):
        for chunk in fileobj.chunks():
            digest.update(chunk)
    else:
        with open(fileobj, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


__all__ = [
    "FIELDS",
    "FIELD_BY_KEY",
    "REQUIRED_FIELDS",
    "ReadError",
    "Table",
    "cell_text",
    "detect_file_type",
    "field_for_header",
    "file_sha256",
    "guess_mapping",
    "header_shape",
    "open_table",
    "reopen",
]
