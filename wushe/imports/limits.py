"""What an uploaded ledger may be, checked before anything reads it whole.

A workbook's size on disk says nothing about what reading it costs: a 1.6 KB .xlsx whose
``<dimension ref="A1:XFD1048576"/>`` (or one cell at XFD1048576) makes the reader reserve a grid
of 17 billion cells. :func:`preflight` looks at the file with the standard library only — the
zip's directory, and one streamed pass over each XML part — and refuses, with the limit and the
actual figure, a workbook that is a zip bomb, holds a DOCTYPE or an entity, or whose sheets
are wider or longer than the limits; a CSV file whose lines are too long or too many. The
reading that follows runs in a child process with a memory cap (:mod:`wushe.imports.sandbox`).

The limits are settings (defaults below); README.md lists them.
"""

from __future__ import annotations

import re
import zipfile
from operator import itemgetter
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from .reading import ReadError

DEFAULTS: dict[str, int] = {
    "WUSHE_IMPORT_MAX_BYTES": 200 * 1024 * 1024,  # the ledger file as uploaded
    "WUSHE_IMPORT_MAX_ROWS": 1_048_576,  # rows of a sheet (Excel's own maximum)
    "WUSHE_IMPORT_MAX_COLUMNS": 200,  # columns of a sheet
    "WUSHE_IMPORT_MAX_CELLS": 50_000_000,  # rows × columns of the used range
    "WUSHE_IMPORT_MAX_UNCOMPRESSED_BYTES": 2 * 1024 * 1024 * 1024,  # a workbook's parts, unzipped
    "WUSHE_IMPORT_MAX_ZIP_RATIO": 200,  # a big part's unzipped size / its zipped size
    "WUSHE_IMPORT_MAX_ZIP_MEMBERS": 2000,  # parts in a workbook
    "WUSHE_IMPORT_MAX_LINE_BYTES": 1024 * 1024,  # one line of a CSV file
    "WUSHE_IMPORT_READER_MEMORY_MB": 4096,  # memory the reading child may add to its parent's
    "WUSHE_IMPORT_READER_TIMEOUT": 300,  # seconds the reading child may take
    "WUSHE_IMPORT_RETENTION_DAYS": 7,  # a ledger never confirmed is deleted after this
}
_RATIO_FLOOR = 8 * 1024 * 1024  # parts smaller than this unzipped are not held to the ratio
_SCAN = 1 << 20


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n < 2**30 else f"{n / 2**30:.1f} GB"


def too_large_message(size: int | None = None) -> str:
    top = limit("WUSHE_IMPORT_MAX_BYTES")
    if size is None:
        return _("文件超过大小上限 %(limit)s（WUSHE_IMPORT_MAX_BYTES）：请拆分后上传") % {"limit": _mb(top)}
    return _("文件大小 %(size)s，超过上限 %(limit)s（WUSHE_IMPORT_MAX_BYTES）：请拆分后上传") % {
        "size": _mb(size),
        "limit": _mb(top),
    }


def check_shape(rows: int, columns: int, where: str) -> None:
    """Refuse a sheet wider or longer than the limits, naming the limit and the actual size."""
    max_columns, max_rows = limit("WUSHE_IMPORT_MAX_COLUMNS"), limit("WUSHE_IMPORT_MAX_ROWS")
    if columns > max_columns:
        raise ReadError(
            _(
                "%(where)s有 %(n)s 列，超过上限 %(limit)s 列（WUSHE_IMPORT_MAX_COLUMNS）：请删去多余的列后再上传"
            )
            % {"where": where, "n": f"{columns:,}", "limit": f"{max_columns:,}"}
        )
    if rows > max_rows:
        raise ReadError(
            _("%(where)s有 %(n)s 行，超过上限 %(limit)s 行（WUSHE_IMPORT_MAX_ROWS）：请拆分后上传")
            % {"where": where, "n": f"{rows:,}", "limit": f"{max_rows:,}"}
        )
    max_cells = limit("WUSHE_IMPORT_MAX_CELLS")
    if rows * columns > max_cells:
        raise ReadError(
            _(
                "%(where)s的范围有 %(n)s 个单元格，超过上限 %(limit)s（WUSHE_IMPORT_MAX_CELLS）：请删去多余的行列后再上传"
            )
            % {"where": where, "n": f"{rows * columns:,}", "limit": f"{max_cells:,}"}
        )


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + (ord(ch.upper()) - 64)
    return n


def preflight(fileobj: IO[bytes], file_type: str) -> None:
    """Raise :class:`ReadError` if the ledger is beyond the limits; read nothing whole."""
    if file_type == "csv":
        _preflight_csv(fileobj)
    elif file_type == "xlsx":
        _preflight_xlsx(fileobj)
    # .xls (BIFF) cannot describe more than 65,536 × 256 cells: its shape is checked by the
    # reading child, under its memory cap, before a row is read


# ---- CSV ---------------------------------------------------------------------------------


def _preflight_csv(fileobj: IO[bytes]) -> None:
    max_line = limit("WUSHE_IMPORT_MAX_LINE_BYTES")
    max_rows = limit("WUSHE_IMPORT_MAX_ROWS")
    fileobj.seek(0)
    lines, current = 0, 0
    for chunk in iter(lambda: fileobj.read(_SCAN), b""):
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                current += len(chunk) - start
                break
            current += end - start
            if current > max_line:
                break
            lines += 1
            current, start = 0, end + 1
        if current > max_line:
            raise ReadError(
                _(
                    "CSV 文件第 %(n)s 行超过 %(limit)s（WUSHE_IMPORT_MAX_LINE_BYTES）：这不是一份台账，请检查文件"
                )
                % {"n": f"{lines + 1:,}", "limit": _mb(max_line)}
            )
        if lines > max_rows + 1:
            raise ReadError(
                _("CSV 文件超过 %(limit)s 行（WUSHE_IMPORT_MAX_ROWS）：请拆分后上传")
                % {"limit": f"{max_rows:,}"}
            )
    fileobj.seek(0)


# ---- xlsx --------------------------------------------------------------------------------

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\sref=\"([^\"]*)\"")
_RANGE = re.compile(rb"^\$?([A-Za-z]{1,4})\$?([0-9]{1,8})(?::\$?([A-Za-z]{1,4})\$?([0-9]{1,8}))?$")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"\$?([A-Za-z]{1,4})\$?([0-9]{1,8})\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"([0-9]{1,8})\"")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_TAIL = 512  # bytes kept between chunks: a tag cut in two is seen whole


def _preflight_xlsx(fileobj: IO[bytes]) -> None:
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(_("无法读取该 Excel 文件（文件可能已损坏或设有密码）")) from None
    with archive:
        members = archive.infolist()
        max_members = limit("WUSHE_IMPORT_MAX_ZIP_MEMBERS")
        if len(members) > max_members:
            raise ReadError(
                _("工作簿含有 %(n)s 个部件，超过上限 %(limit)s（WUSHE_IMPORT_MAX_ZIP_MEMBERS）")
                % {"n": f"{len(members):,}", "limit": f"{max_members:,}"}
            )
        declared = sum(m.file_size for m in members)
        _check_unzipped(declared)
        max_ratio = limit("WUSHE_IMPORT_MAX_ZIP_RATIO")
        for m in members:
            if m.file_size > _RATIO_FLOOR and m.file_size > max_ratio * max(m.compress_size, 1):
                raise ReadError(
                    _(
                        "工作簿的部件“%(part)s”解压后是压缩时的 %(n)s 倍，超过上限 %(limit)s 倍（WUSHE_IMPORT_MAX_ZIP_RATIO）：疑似压缩炸弹"
                    )
                    % {
                        "part": m.filename[:80],
                        "n": f"{m.file_size // max(m.compress_size, 1):,}",
                        "limit": max_ratio,
                    }
                )
        unzipped = 0
        for m in members:
            name = m.filename.lower()
            if m.is_dir() or not name.endswith((".xml", ".rels", ".vml")):
                continue
            sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            unzipped = _scan_part(archive, m, sheet=sheet, unzipped=unzipped)


def _check_unzipped(size: int) -> None:
    top = limit("WUSHE_IMPORT_MAX_UNCOMPRESSED_BYTES")
    if size > top:
        raise ReadError(
            _(
                "工作簿解压后超过 %(limit)s（WUSHE_IMPORT_MAX_UNCOMPRESSED_BYTES），实际至少 %(size)s：疑似压缩炸弹"
            )
            % {"limit": _mb(top), "size": _mb(size)}
        )


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, sheet: bool, unzipped: int) -> int:
    """One streamed pass over an XML part: no DOCTYPE/ENTITY; for a sheet, its used range."""
    where = _("工作表文件“%(part)s”") % {"part": member.filename.rsplit("/", 1)[-1]}
    rows = columns = 0
    tail = b""
    first = True
    try:
        with archive.open(member) as part:
            for chunk in iter(lambda: part.read(_SCAN), b""):
                unzipped += len(chunk)
                _check_unzipped(unzipped)  # the directory's sizes may lie: count what comes out
                data = tail + chunk
                if _DTD.search(data):
                    raise ReadError(
                        _(
                            "工作簿的部件“%(part)s”含有 DOCTYPE 或 ENTITY 声明，出于安全原因不予读取：请在 Excel 中另存为 .xlsx 后再上传"
                        )
                        % {"part": member.filename[:80]}
                    )
                if sheet:
                    if first:
                        match = _DIMENSION.search(data)
                        if match:
                            r, c = _range_extent(match.group(1))
                            check_shape(r, c, where)
                    refs = _CELL_REF.findall(data)
                    if refs:
                        columns = max(columns, *(column_number(c) for c in set(map(itemgetter(0), refs))))
                        rows = max(rows, _largest(map(itemgetter(1), refs)))
                    rows = max(rows, _largest(_ROW_REF.findall(data)))
                    if rows or columns:
                        check_shape(rows, columns, where)
                first = False
                tail = data[-_TAIL:]
    except zipfile.BadZipFile:
        raise ReadError(_("无法读取该 Excel 文件（文件可能已损坏或设有密码）")) from None
    except (NotImplementedError, RuntimeError):
        raise ReadError(_("无法读取该 Excel 文件（文件可能已损坏或设有密码）")) from None
    return unzipped


def _largest(numbers: Any) -> int:
    """The largest of row numbers given as digits, without converting each one."""
    numbers = list(numbers)
    if not numbers:
        return 0
    longest = len(max(numbers, key=len))
    return max(int(n) for n in numbers if len(n) == longest)


def _range_extent(ref: bytes) -> tuple[int, int]:
    """``A1:XFD1048576`` → (1048576, 16384): the rows and columns a range reaches."""
    match = _RANGE.match(ref.strip())
    if not match:
        return 0, 0
    c1, r1, c2, r2 = match.groups()
    last_col = max(column_number(c1), column_number(c2) if c2 else 0)
    last_row = max(int(r1), int(r2) if r2 else 0)
    return last_row, last_col


def shape_of_sheet(sheet: Any, where: str) -> None:
    """In the reading child, once calamine has the sheet: its size, for .xls and cells without
    references."""
    height = int(getattr(sheet, "total_height", 0) or getattr(sheet, "height", 0) or 0)
    width = int(getattr(sheet, "total_width", 0) or getattr(sheet, "width", 0) or 0)
    check_shape(height, width, where)
