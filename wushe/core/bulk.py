"""Plain-row inserts for bulk writers (imports): PostgreSQL ``COPY``, SQLite ``executemany``.

Django's ``bulk_create`` spends about 0.1 ms a row building model instances and SQL (and on
SQLite splits every insert into statements of 999 parameters): at a million rows that is the
whole time budget. Services that write in bulk prepare the column values themselves and hand
them here. Nothing here validates: it is called by services, inside their transaction, with
values of the fields' Python types (str, int, bool, date, aware datetime, None; encrypted
fields already hold their ciphertext).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, models, router

from . import crypto
from .fields import EncryptedTextField

SQLITE_MAX_PARAMS = 999  # what Django assumes for SQLite, whatever the library allows


def _sqlite_adapter(field: models.Field, ops: Any) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        last: list[Any] = [None, None]

        def adapt(value: Any) -> Any:  # a batch's rows share their timestamps: adapt each once
            if value is not last[0]:
                last[0], last[1] = value, ops.adapt_datetimefield_value(value)
            return last[1]

        return adapt
    if isinstance(field, models.DateField):
        return lambda v: v.isoformat() if isinstance(v, datetime.date) else v
    return None


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``, given as attnames) into ``model``'s table."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[c] for c in columns]
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    column_sql = ", ".join(qn(f.column) for f in fields)
    encrypted = [i for i, f in enumerate(fields) if isinstance(f, EncryptedTextField)]
    if encrypted:  # never store a plaintext identifier, whatever the caller handed over
        rows = _sealed(rows, encrypted, fields)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        adapters = [(i, a) for i, f in enumerate(fields) if (a := _sqlite_adapter(f, connection.ops))]
        if adapters:
            prepared: list[Sequence[Any]] = []
            for row in rows:
                values = list(row)
                for i, adapt in adapters:
                    if values[i] is not None:
                        values[i] = adapt(values[i])
                prepared.append(values)
        else:
            prepared = list(rows)
        if prepared:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})"  # noqa: S608 — quoted model names
            cursor.executemany(sql, prepared)
        return len(prepared)


def _sealed(rows: Iterable[Sequence[Any]], indexes: list[int], fields: list[Any]) -> Iterable[Sequence[Any]]:
    for row in rows:
        if any(row[i] and not str(row[i]).startswith(crypto.PREFIX) for i in indexes):
            values = list(row)
            for i in indexes:
                values[i] = fields[i].get_prep_value(values[i])
            yield values
        else:
            yield row


def chunked(values: Sequence[Any], size: int = SQLITE_MAX_PARAMS - 9) -> Iterable[Sequence[Any]]:
    """Slices small enough for an ``__in`` lookup on any backend."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


SQLITE_BULK_CACHE_KIB = 128 * 1024


@contextmanager
def bulk_session(using: str = "default") -> Iterator[None]:
    """A bigger SQLite page cache while a bulk writer runs: a million rows land in a dozen indexes,
    and the default 2 MB cache would send most index pages back to disk between batches."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_BULK_CACHE_KIB:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous:d}")
