"""Pass 1: the job's table opened again and its rows' identity keys scanned (who appears more
than once, and on which row last)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .. import reading
from ..models import ImportJob
from ..rows import RegionIndex, RowChecker, tag_index


def open_table(job: ImportJob) -> reading.Table:
    """The job's table: the one read at upload if this process still holds it (a big sheet is
    loaded only once), else the file opened again with the header found at upload."""
    table = job.__dict__.pop("_open_table", None)
    if table is not None:
        return table
    if job.file_purged_at is not None or not job.file:
        raise reading.ReadError(_("上传的文件已删除（已完成、已放弃、失败或超过保留期限）：请重新上传"))
    return reading.reopen(
        job.file.path,
        job.file_type,
        sheet_name=job.sheet_name,
        header_first=job.header_first,
        header_last=job.header_last,
        headers=job.headers,
    )


def build_checker(job: ImportJob) -> RowChecker:
    return RowChecker(
        headers=job.headers, mapping=job.mapping, regions=RegionIndex.build(job.region), tags=tag_index()
    )


# ---- pass 1: who appears more than once -------------------------------------------------


@dataclass
class KeyScan:
    total: int
    last_row: dict[int, int]  # identity key → its last row number, for keys on several rows
    present: frozenset[int] = frozenset()  # every key in the file (only when it names households)


def scan_keys(
    rows: Iterable[tuple[int, list[Any]]],
    key_of: Callable[[list[Any]], int | None],
    *,
    keep_all: bool = False,
) -> KeyScan:
    total = 0

    def keyed() -> Iterator[tuple[int, int]]:
        nonlocal total
        for number, cells in rows:
            total += 1
            key = key_of(cells)
            if key is not None:
                yield key, number

    with tempfile.TemporaryDirectory(prefix="wushe-import-") as tmp:
        db = sqlite3.connect(os.path.join(tmp, "keys.sqlite3"))
        try:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("PRAGMA cache_size=-16000")
            db.execute("CREATE TABLE k (key INTEGER NOT NULL, row INTEGER NOT NULL)")
            db.executemany("INSERT INTO k VALUES (?, ?)", keyed())
            last = dict(db.execute("SELECT key, max(row) FROM k GROUP BY key HAVING count(*) > 1"))
            present = (
                frozenset(k for (k,) in db.execute("SELECT DISTINCT key FROM k")) if keep_all else frozenset()
            )
        finally:
            db.close()
    return KeyScan(total=total, last_row=last, present=present)
