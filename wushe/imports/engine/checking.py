"""The checked rows, in this process or in forked workers that send them back through pipes,
gathered into decided batches."""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from wushe.registry.services import (
    person_draft_seal,
)

from .. import reading
from ..rows import CheckedRow, RowChecker
from .batches import Batch
from .decide import Decider, Decision, resolve_group
from .scan import KeyScan


def checked_rows(
    table: reading.Table, checker: RowChecker, scan: KeyScan, *, start: int, seal: bool
) -> Iterator[CheckedRow]:
    """Every data row after ``start``, checked (and, with ``seal``, encrypted and read into pinyin
    ahead of writing). Rows at or before ``start`` were committed before a restart: only those of
    people whose last row lies beyond the mark come out again, marked ``earlier``."""
    for number, cells in table.data_rows():
        row = _checked(checker, scan, start, number, cells, seal=seal)
        if row is not None:
            yield row


def _checked(
    checker: RowChecker, scan: KeyScan, start: int, number: int, cells: list[Any], *, seal: bool
) -> CheckedRow | None:
    if number <= start:
        key = checker.key_of(cells)
        if key is not None and scan.last_row.get(key, 0) > start:
            row = checker.check(number, cells)
            if row.ok:
                row.earlier = True
                return row
        return None
    row = checker.check(number, cells)
    if seal and row.draft is not None and not row.reason:
        person_draft_seal(row.draft)
    return row


def decided_batches(
    rows: Iterable[CheckedRow],
    checker: RowChecker,
    decider: Decider,
    scan: KeyScan,
    *,
    seal: bool,
    size: int,
) -> Iterator[Batch]:
    """The rows decided, in batches of ``size`` rows read."""
    waiting: dict[int, list[CheckedRow]] = {}
    batch = Batch()
    pending: list[CheckedRow] = []

    def flush() -> Batch:
        nonlocal batch, pending
        decided = decider.decide(pending)
        if seal:
            for d in decided:
                if d.outcome == "created":
                    person_draft_seal(d.row.checked_draft)
        batch.decisions.extend(decided)
        batch.decisions.sort(key=lambda d: d.row.number)
        done, batch, pending = batch, Batch(), []
        return done

    for row in rows:
        if row.earlier:
            assert row.key is not None  # an earlier row is one of a person named again later
            waiting.setdefault(row.key, []).append(row)
            continue
        number = row.number
        batch.rows += 1
        batch.last_row = number
        if not row.ok:
            batch.decisions.append(Decision(row, "rejected"))
        elif row.key is not None and row.key in scan.last_row:
            waiting.setdefault(row.key, []).append(row)
        else:
            pending.append(row)
        if row.key is not None and scan.last_row.get(row.key) == number:
            members = waiting.pop(row.key, [])
            if members:
                resolved = resolve_group(members, checker)
                if isinstance(resolved, CheckedRow):
                    pending.append(resolved)
                else:
                    for decision in resolved:
                        if decision.outcome:
                            batch.decisions.append(decision)
                        else:
                            pending.append(decision.row)
        if batch.rows >= size:
            yield flush()
    if batch.rows:
        yield flush()


# ---- worker processes for the checks ----------------------------------------------------
#
# Checking, encrypting and reading names into pinyin cost more than writing. On a machine with
# two cores or more, forked worker processes read and check the rows while this process
# decides and writes them. The workers inherit the table, the checker and the keys (fork), so
# nothing but checked rows crosses the pipes; they never touch the database. With several
# workers, the data rows are dealt out in chunks of ``_CHUNK`` rows (chunk i to worker i mod n)
# and taken back in the same order, so the result is the same as in one process.

PARALLEL_MIN_ROWS = 20_000
_CHUNK = 500
_BUFFERED_CHUNKS = 16  # at most 8,000 checked rows wait in this process, per worker


def worker_count(total: int) -> int:
    from django.conf import settings

    configured = os.environ.get("WUSHE_IMPORT_WORKERS", getattr(settings, "WUSHE_IMPORT_WORKERS", None))
    if configured is not None and str(configured) != "":
        return max(0, int(configured))
    minimum = int(getattr(settings, "WUSHE_IMPORT_PARALLEL_MIN_ROWS", PARALLEL_MIN_ROWS))
    if (os.cpu_count() or 1) < 2 or total < minimum or not hasattr(os, "fork"):
        return 0
    # One checker: on two cores the writing process is the slower half already; a second
    # checker was no faster here and cost more CPU (docs/benchmarks.md).
    # ``WUSHE_IMPORT_WORKERS`` sets more for machines with more cores.
    return 1


def _worker_main(
    send: Any, table: reading.Table, checker: RowChecker, scan: KeyScan, start: int, me: int, workers: int
) -> None:
    try:
        chunk: list[CheckedRow] = []
        for index, (number, cells) in enumerate(table.data_rows()):
            owner = (index // _CHUNK) % workers
            if owner != me:
                continue
            row = _checked(checker, scan, start, number, cells, seal=True)
            if row is not None:
                chunk.append(row)
            if index % _CHUNK == _CHUNK - 1:
                send.send_bytes(pickle.dumps(("rows", chunk), protocol=pickle.HIGHEST_PROTOCOL))
                chunk = []
        send.send_bytes(pickle.dumps(("rows", chunk), protocol=pickle.HIGHEST_PROTOCOL))
        send.send_bytes(pickle.dumps(("done", None)))
    except reading.ReadError as exc:
        send.send(("read_error", str(exc)))
    except BaseException as exc:  # noqa: BLE001 — reported to the parent, which raises it
        send.send(("error", f"{exc.__class__.__name__}: {exc}"))
    finally:
        send.close()


def _widen_pipe(connection: Any) -> None:
    """A pipe of 1 MB instead of 64 KB (Linux): a chunk of checked rows fits in it whole."""
    import fcntl

    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsize is None:
        return
    with contextlib.suppress(OSError):  # above the system's pipe-max-size: keep the default
        fcntl.fcntl(connection.fileno(), setsize, 1 << 20)


def rows_checked(
    table: reading.Table, checker: RowChecker, scan: KeyScan, *, start: int, workers: int
) -> Iterator[CheckedRow]:
    if not workers:
        try:
            yield from checked_rows(table, checker, scan, start=start, seal=False)
        finally:
            table.close()
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    channels = []
    for me in range(workers):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=_worker_main, args=(send, table, checker, scan, start, me, workers), daemon=True
        )
        _widen_pipe(receive)
        process.start()
        send.close()
        channels.append((receive, process))
    table.close()  # the workers hold their own copy of the sheet now
    # A thread per worker drains its pipe while this process writes a batch, so that no worker
    # waits on a full pipe: checking and writing overlap. The threads only move bytes (waiting
    # in recv_bytes releases the GIL); rows are unpickled here.
    buffers: list[queue.Queue[bytes | None]] = []
    for receive, _process in channels:
        buffer: queue.Queue[bytes | None] = queue.Queue(maxsize=_BUFFERED_CHUNKS)

        def pump(receive: Any = receive, buffer: queue.Queue[bytes | None] = buffer) -> None:
            try:
                while True:
                    buffer.put(receive.recv_bytes())
            except (EOFError, OSError):
                buffer.put(None)

        threading.Thread(target=pump, name="wushe-import-pump", daemon=True).start()
        buffers.append(buffer)
    switch = sys.getswitchinterval()
    # the pumps need the GIL for a moment per 64 KB read: hand it over sooner than every 5 ms,
    # or a worker waits on a full pipe while this thread builds a batch
    sys.setswitchinterval(0.0005)
    try:
        turn = 0
        while True:
            data = buffers[turn % workers].get()
            turn += 1
            if data is None:
                raise RuntimeError(_("检查进程意外退出"))
            kind, payload = pickle.loads(data)  # noqa: S301 — bytes from our own forked worker
            if kind == "rows":
                yield from payload
            elif kind == "done":
                break  # the worker owning the next chunk has none: the table is done
            elif kind == "read_error":
                raise reading.ReadError(payload)
            else:
                raise RuntimeError(payload)
    finally:
        sys.setswitchinterval(switch)
        for receive, process in channels:
            receive.close()
            if process.is_alive():
                process.terminate()
            process.join()
