"""Plain-row inserts for bulk writers (imports): PostgreSQL ``COPY``, SQLite ``executemany``.

Django's ``bulk_create`` builds model instances and SQL for every row (and on SQLite splits
every insert into statements of 999 parameters): at a million rows that is the whole time
budget (docs/benchmarks.md). Services that write in bulk prepare the column values themselves and hand
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


def _sqlite_adapter(field: models.Field[Any, Any], ops: Any) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        last: list[Any] = [None, None]

        def adapt(value: Any) -> Any:  # a batch's rows share their timestamps: adapt each once
            if value is not last[0]:
                last[0], last[1] = value, ops.adapt_datetimefield_value(value)
            return last[1]

        return adapt
    if isinstance(field, models.DateField):
        seen: dict[Any, Any] = {}  # birth dates and start days repeat: format each once

        def adapt_date(value: Any) -> Any:
            text = seen.get(value)
            if text is None:
                text = value.isoformat() if isinstance(value, datetime.date) else value
                if len(seen) < 100_000:
                    seen[value] = text
            return text

        return adapt_date
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
    prefix = crypto.PREFIX
    for row in rows:
        for i in indexes:
            value = row[i]
            if value and not (type(value) is str and value.startswith(prefix)):
                values = list(row)
                for j in indexes:
                    values[j] = fields[j].get_prep_value(values[j])
                yield values
                break
        else:
            yield row


def chunked(values: Sequence[Any], size: int = SQLITE_MAX_PARAMS - 9) -> Iterable[Sequence[Any]]:
    """Slices small enough for an ``__in`` lookup on any backend."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


SQLITE_BULK_CACHE_KIB = 128 * 1024
SQLITE_BULK_CHECKPOINT_PAGES = 16_384  # 64 MB of WAL at the default page size


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
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_BULK_CACHE_KIB:d}")
        # fewer, larger checkpoints: each batch's commit would otherwise copy the WAL back into
        # the database file (and sync it) every 1,000 pages
        cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_BULK_CHECKPOINT_PAGES:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous:d}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {checkpoint:d}")


def max_id(model: type[models.Model]) -> int:
    """The largest primary key in ``model``'s table (0 when empty).

    Rows inserted afterwards get larger keys (SQLite ``AUTOINCREMENT``, PostgreSQL sequences
    only grow), so a bulk writer reads back the keys of what it inserted with :func:`ids_after`
    instead of an ``IN`` list over a thousand values."""
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max({qn(model._meta.pk.column)}) FROM {qn(model._meta.db_table)}")  # noqa: S608
        return int(cursor.fetchone()[0] or 0)


def ids_after(model: type[models.Model], after: int, *key: str) -> list[tuple[Any, ...]]:
    """``(pk, *key)`` of the rows with a primary key above ``after``: those just inserted (and, on
    PostgreSQL, rows other sessions committed meanwhile, which the caller's keys leave out)."""
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    columns = ", ".join(qn(c) for c in [meta.pk.column, *(by_attname[k].column for k in key)])
    pk = qn(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {qn(meta.db_table)} WHERE {pk} > %s",  # noqa: S608 — quoted model names
            [after],
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def values_in(
    model: type[models.Model], column: str, values: Sequence[Any], *key: str
) -> list[tuple[Any, ...]]:
    """``(pk, *key)`` of the rows whose ``column`` is one of ``values`` (at most ``chunked``'s size),
    in plain SQL: the ORM spends microseconds on each value of a thousand-value ``IN`` list."""
    if not values:
        return []
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    columns = ", ".join(qn(c) for c in [meta.pk.column, *(by_attname[k].column for k in key)])
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {qn(meta.db_table)} "  # noqa: S608 — quoted model names
            f"WHERE {qn(by_attname[column].column)} IN ({placeholders})",
            list(values),
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


# ---- secondary indexes, deferred during a load into empty tables -------------------------
#
# Filling empty tables is faster without their secondary indexes (docs/benchmarks.md), built
# once at the end from sorted data. Only non-unique indexes are deferred: unique ones keep enforcing
# their rule during the load. The definitions are read from the database itself, so whatever
# the migrations created is what is rebuilt; the caller keeps them (in its job record) until
# :func:`indexes_restore` has run, so that a process killed meanwhile is repaired on resume.


def deferrable_indexes(*tables: str, using: str = "default") -> list[list[str]]:
    """``[table, index name, CREATE INDEX statement]`` of the non-unique secondary indexes."""
    connection = connections[using]
    found: list[list[str]] = []
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                    "WHERE t.relname = %s AND t.relnamespace = current_schema()::regnamespace "
                    "AND NOT i.indisunique AND NOT i.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
                    "ORDER BY c.relname",
                    [table],
                )
            elif connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
                    [table],
                )
            else:
                continue
            found += [[table, name, sql] for name, sql in cursor.fetchall()]
    return found


def indexes_drop(indexes: Sequence[Sequence[str]], using: str = "default") -> None:
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for _table, name, _sql in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {qn(name)}")


def indexes_restore(indexes: Sequence[Sequence[str]], using: str = "default") -> None:
    """Create the deferred indexes again (those that exist are left as they are)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for _table, _name, sql in indexes:
            head, sep, rest = sql.partition("INDEX ")
            if sep and not rest.upper().startswith("IF NOT EXISTS"):
                sql = f"{head}INDEX IF NOT EXISTS {rest}"
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            for table in dict.fromkeys(t for t, _n, _s in indexes):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
