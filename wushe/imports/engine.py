"""The import itself: a dry run that counts and explains, and a commit in atomic batches.

Both read the file twice:

1. **Key scan.** Every data row's identity key (the ID number's 17-digit body) goes into a
   temporary SQLite file, which answers which people appear more than once and on which row
   they appear last. Memory stays flat whatever the file's length.
2. **Rows.** Each row is checked (:mod:`wushe.imports.rows`). Rows of a person who appears
   more than once wait until that person's last row: identical rows are merged (the others
   count as unchanged), rows that contradict each other are all rejected — wushe does not
   guess which one is right. Then every row is matched against the registry by the keyed hash
   of its ID number: new (created), the same (unchanged), different (updated, with the
   differences listed), or refused (registered elsewhere, deregistered, or changed in the
   registry after the ledger's date: newer data is never overwritten).

A commit writes each batch (``BATCH_SIZE`` rows) in one transaction: the persons through
:func:`wushe.registry.services.person_bulk_upsert`, the notable rows, the counts and the
high-water mark ``committed_through``. A process killed at any moment leaves whole batches
only; :func:`commit` called again resumes after the mark (rebuilding the waiting rows of
people whose last row lies beyond it) and ends with exactly the result of an uninterrupted run.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import queue
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.core.bulk import bulk_session
from wushe.core.models import AccessEventKind
from wushe.core.services import access_event_record
from wushe.registry.models import DisabilityCategory, DisabilityLevel, PersonStatus, Relation
from wushe.registry.services import (
    PersonChange,
    PersonDraft,
    RegisteredPerson,
    id_not_registrable_message,
    person_bulk_registered,
    person_bulk_upsert,
    person_draft_seal,
    registered_outside_scope,
)

from . import reading, storage
from .models import ImportJob, ImportLink, ImportRow, ImportStatus, RowOutcome, RowPhase
from .rows import CheckedRow, RegionIndex, RowChecker, tag_index

BATCH_SIZE = 2000


class ImportConflict(Exception):
    """Another process is committing the same job."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


# Called inside each batch's transaction after its registry writes (tests make it raise to
# simulate a process killed in the middle of a batch).
after_batch_written: Callable[[ImportJob, int], None] | None = None


def open_table(job: ImportJob) -> reading.Table:
    """The job's table: the one read at upload if this process still holds it (a big sheet is
    loaded only once), else the file opened again with the header found at upload."""
    table = job.__dict__.pop("_open_table", None)
    if table is not None:
        return table  # type: ignore[no-any-return]
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


# ---- pass 2: deciding each row ----------------------------------------------------------


@dataclass
class Decision:
    row: CheckedRow
    outcome: str  # created / updated / unchanged / rejected / duplicate
    message: str = ""
    change: PersonChange | None = None


def _signature(draft: PersonDraft, region_given: bool, household: Any = None) -> dict[str, Any]:
    return {
        "household": (household[0], household[2]) if household else None,
        "name": draft.name,
        "phone": draft.phone,
        "address": draft.address,
        "contact_name": draft.contact_name,
        "contact_phone": draft.contact_phone,
        "region": draft.region_id if region_given else None,
        "certificate": draft.certificate,
        "tags": tuple(sorted(draft.tag_ids)),
    }


_MERGEABLE = (
    "phone",
    "address",
    "contact_name",
    "contact_phone",
    "certificate",
    "tags",
    "region",
    "household",
)


def resolve_group(members: list[CheckedRow], checker: RowChecker) -> list[Decision] | CheckedRow:
    """Rows naming one person: merged into one row, or all rejected if they contradict each other."""
    if len(members) == 1:
        return members[0]
    signatures = [_signature(m.draft, m.region_given, m.household) for m in members]  # type: ignore[arg-type]
    conflicts: list[str] = []
    for key in ("name", *_MERGEABLE):
        values = {s[key] for s in signatures if s[key] not in ("", None, ())}
        if len(values) > 1:
            conflicts.append(key)
    numbers = [m.number for m in members]
    if conflicts:
        labels = "、".join(_field_label(checker, k) for k in conflicts)
        decisions = []
        for m in members:
            others = "、".join(str(n) for n in numbers if n != m.number)
            decisions.append(
                Decision(
                    m,
                    "rejected",
                    _("与第%(rows)s行是同一身份证号码，但“%(cols)s”不同：请核对后只保留一行")
                    % {"rows": others, "cols": labels},
                )
            )
        return decisions
    base = members[0]
    assert base.draft is not None
    for other in members[1:]:
        d = other.draft
        assert d is not None
        if not base.draft.phone and d.phone:
            base.draft.phone, base.draft.phone_hash = d.phone, d.phone_hash
        for name in ("address", "contact_name", "contact_phone"):
            if not getattr(base.draft, name) and getattr(d, name):
                setattr(base.draft, name, getattr(d, name))
        if not base.draft.certificate and d.certificate:
            base.draft.certificate = d.certificate
        if not base.draft.tag_ids and d.tag_ids:
            base.draft.tag_ids = d.tag_ids
        if not base.region_given and other.region_given:
            base.draft.region_id, base.region_given = d.region_id, True
        if base.household is None and other.household is not None:
            base.household = other.household
        base.fields = base.fields | other.fields
        base.draft.sealed = None  # merged values: derive again
    return [
        Decision(m, "duplicate", _("与第%(row)s行是同一人，内容一致，已合并") % {"row": base.number})
        for m in members[1:]
    ] + [Decision(base, "")]


def _field_label(checker: RowChecker, key: str) -> str:
    if key == "region":
        grid = checker.columns.get("grid")
        return checker.label("grid" if grid is not None else "community")
    if key == "household":
        return checker.label("head_id" if "head_id" in checker.columns else "relation")
    return checker.label(key)


class Decider:
    """Classifies checked rows against the registry for one job."""

    def __init__(self, job: ImportJob, checker: RowChecker) -> None:
        from wushe.registry.models import Tag

        self.job = job
        self.checker = checker
        self.regions = checker.regions
        self.tag_names = dict(Tag.objects.values_list("pk", "name"))
        self.with_contact_phone = "contact_phone" in checker.columns
        self.user = job.created_by  # whose scope decides what the report may say about a person

    def decide(self, rows: list[CheckedRow]) -> list[Decision]:
        hashes = [r.draft.id_hash for r in rows if r.draft is not None]
        heads = [r.household[0] for r in rows if r.household is not None and r.household[2] != "head"]
        registered = person_bulk_registered([*hashes, *heads], with_contact_phone=self.with_contact_phone)
        self._registered = registered
        return [self._decide(r, registered.get(r.draft.id_hash)) for r in rows if r.draft is not None]

    present: frozenset[int] = frozenset()  # the keys of the file (set by the run)
    _registered: dict[str, RegisteredPerson] = {}  # noqa: RUF012 — replaced per batch

    def _unknown_head(self, row: CheckedRow) -> Decision | None:
        household = row.household
        if household is None or household[2] == "head":
            return None
        head_hash, head_key, _relation, _name = household
        head = self._registered.get(head_hash)
        if head_key in self.present or (head is not None and not self._outside(head)):
            return None  # a head registered outside the user's scope is as unknown as no head
        return Decision(
            row,
            "rejected",
            _("“%(col)s”：户主既不在登记库中，也不在本台账中：请先登记户主，或在台账中加入户主一行")
            % {"col": self.checker.label("head_id")},
        )

    def _decide(self, row: CheckedRow, person: RegisteredPerson | None) -> Decision:
        unknown = self._unknown_head(row)
        if unknown is not None:
            return unknown
        if person is None:
            return Decision(row, "created")
        if self._outside(person):  # the same answer whatever that person's status or region
            return Decision(row, "rejected", id_not_registrable_message())
        if person.status != PersonStatus.ACTIVE:
            return Decision(
                row,
                "rejected",
                _("该居民在登记库中的状态为“%(s)s”，本行未导入") % {"s": PersonStatus(person.status).label},
            )
        if not person.region_path.startswith(self.regions.target_path):
            return Decision(
                row,
                "rejected",
                _("该身份证号码已在本次导入区域以外登记，本行未导入：如需迁入，请在居民档案中办理迁移"),
            )
        fields, lines = self._differences(row, person)
        if not fields:
            return Decision(row, "unchanged")
        if person.updated_at > self.job.as_of:
            return Decision(
                row,
                "rejected",
                _("登记库中的档案在台账日期之后（%(t)s）修改过，未覆盖。差异：%(d)s")
                % {
                    "t": timezone.localtime(person.updated_at).strftime("%Y-%m-%d %H:%M"),
                    "d": "；".join(lines),
                },
            )
        assert row.draft is not None
        return Decision(
            row,
            "updated",
            "；".join(lines),
            PersonChange(person_id=person.id, draft=row.draft, fields=frozenset(fields)),
        )

    def _outside(self, person: RegisteredPerson) -> bool:
        return registered_outside_scope(self.user, person.region_path)

    def _differences(self, row: CheckedRow, person: RegisteredPerson) -> tuple[set[str], list[str]]:
        """What the row would change. A blank cell never clears a registered value."""
        from wushe.core.validators import mask_phone

        d = row.draft
        assert d is not None
        fields: set[str] = set()
        lines: list[str] = []
        label = lambda key: _field_label(self.checker, key)  # noqa: E731
        if d.name != person.name:
            fields.add("name")
            lines.append(f"{label('name')}：{person.name} → {d.name}")
        if d.phone and d.phone_hash != person.phone_hash:
            fields.add("phone")
            lines.append(
                f"{label('phone')}：{_('（空）') if not person.phone_hash else _('原号码')} → {mask_phone(d.phone)}"
            )
        if d.address and d.address != person.address:
            fields.add("address")
            lines.append(f"{label('address')}：{person.address or _('（空）')} → {d.address}")
        if d.contact_name and d.contact_name != person.contact_name:
            fields.add("contact_name")
            lines.append(f"{label('contact_name')}：{person.contact_name or _('（空）')} → {d.contact_name}")
        if d.contact_phone and d.contact_phone != (person.contact_phone or ""):
            fields.add("contact_phone")
            lines.append(f"{label('contact_phone')}：→ {mask_phone(d.contact_phone)}")
        if row.region_given and d.region_id != person.region_id:
            target_path = self.regions.paths.get(d.region_id, "")
            if not (target_path and person.region_path.startswith(target_path)):
                fields.add("region")
                lines.append(
                    _("所属区域：%(a)s → %(b)s")
                    % {
                        "a": self.regions.names.get(person.region_id, ""),
                        "b": self.regions.names.get(d.region_id, ""),
                    }
                )
        if d.certificate and d.certificate != person.certificate:
            fields.add("certificate")
            lines.append(
                _("残疾类别和等级：%(a)s → %(b)s")
                % {"a": _certificate_label(person.certificate), "b": _certificate_label(d.certificate)}
            )
        if row.household is not None:
            head_hash, _key, relation, head_name = row.household
            head = person if head_hash == person.id_hash else self._registered.get(head_hash)
            if head is not None and self._outside(head):
                head = None  # nothing of a person outside the user's scope goes into the report
            same = (
                head is not None
                and person.household_id is not None
                and person.household_id == head.household_id
                and person.relation_to_head == relation
            )
            if relation == "head" and person.household_id and person.relation_to_head == "head":
                same = True
            if head is not None and head is not person and head.region_id != person.region_id:
                same = True  # cannot join a household in another region: noted as 未入户, not a change
            if not same:
                fields.add("household")
                who = head.name if head is not None else head_name
                lines.append(
                    _("%(col)s：→ %(name)s户（%(rel)s）")
                    % {"col": label("household"), "name": who, "rel": Relation(relation).label}
                )
        new_tags = [t for t in d.tag_ids if t not in person.tag_ids]
        if new_tags:
            fields.add("tags")
            lines.append(
                _("人员类别：增加 %(t)s") % {"t": "、".join(self.tag_names.get(t, str(t)) for t in new_tags)}
            )
        return fields, lines


def _certificate_label(value: tuple[int, int] | None) -> str:
    if not value:
        return _("无")
    return f"{DisabilityCategory(value[0]).label}{DisabilityLevel(value[1]).label}"


# ---- running a job ----------------------------------------------------------------------


def _row_record(job: ImportJob, phase: str, decision: Decision) -> ImportRow:
    outcome = RowOutcome.DUPLICATE if decision.outcome == "duplicate" else decision.outcome
    return ImportRow(
        job=job,
        phase=phase,
        row_number=decision.row.number,
        outcome=outcome,
        values=json.dumps([reading.cell_text(c) for c in decision.row.cells], ensure_ascii=False),
        message=decision.message or decision.row.reason,
    )


@dataclass
class Batch:
    decisions: list[Decision] = field(default_factory=list)
    last_row: int = 0
    rows: int = 0

    def counts(self) -> Counts:
        c = Counts()
        for d in self.decisions:
            if d.outcome == "created":
                c.created += 1
            elif d.outcome == "updated":
                c.updated += 1
            elif d.outcome in ("unchanged", "duplicate"):
                c.unchanged += 1
            elif d.outcome == "rejected":
                c.rejected += 1
        return c


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


def _batches(
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
                    person_draft_seal(d.row.draft)  # type: ignore[arg-type]
        batch.decisions.extend(decided)
        batch.decisions.sort(key=lambda d: d.row.number)
        done, batch, pending = batch, Batch(), []
        return done

    for row in rows:
        if row.earlier:
            waiting.setdefault(row.key, []).append(row)  # type: ignore[arg-type]
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


def _workers(total: int) -> int:
    from django.conf import settings

    configured = os.environ.get("WUSHE_IMPORT_WORKERS", getattr(settings, "WUSHE_IMPORT_WORKERS", None))
    if configured is not None and str(configured) != "":
        return max(0, int(configured))
    minimum = int(getattr(settings, "WUSHE_IMPORT_PARALLEL_MIN_ROWS", PARALLEL_MIN_ROWS))
    if (os.cpu_count() or 1) < 2 or total < minimum or not hasattr(os, "fork"):
        return 0
    # One checker: on two cores the writing process is the slower half already; a second
    # checker measured no faster here and cost ~15 % more CPU (each keeps its own caches).
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


def _rows(
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


def _open_for_run(job: ImportJob) -> tuple[RowChecker, KeyScan, reading.Table]:
    missing = [k for k in reading.REQUIRED_FIELDS if k not in job.mapping]
    if missing:
        raise reading.ReadError(
            _("没有对应到“%(f)s”列：请在列对应中指定")
            % {"f": "”“".join(str(reading.FIELD_BY_KEY[k].label) for k in missing)}
        )
    checker = build_checker(job)
    table = open_table(job)
    try:
        scan = scan_keys(table.data_rows(), checker.key_of, keep_all="head_id" in checker.columns)
    except BaseException:
        table.close()
        raise
    return checker, scan, table


def check(job: ImportJob, *, batch_size: int = BATCH_SIZE) -> Counts:
    """The dry run: every row decided, the notable ones recorded, nothing written to the registry."""
    ImportRow.objects.filter(job=job, phase=RowPhase.CHECK).delete()
    checker, scan, table = _open_for_run(job)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING, total_rows=scan.total, rows_done=0, heartbeat_at=timezone.now()
    )
    decider = Decider(job, checker)
    decider.present = scan.present
    counts = Counts()
    rows = _rows(table, checker, scan, start=0, workers=_workers(scan.total))
    for batch in _batches(rows, checker, decider, scan, seal=False, size=batch_size):
        counts.add(batch.counts())
        with transaction.atomic():
            ImportRow.objects.bulk_create(
                [_row_record(job, RowPhase.CHECK, d) for d in batch.decisions if _notable(d)]
            )
            ImportJob.objects.filter(pk=job.pk).update(
                rows_done=F("rows_done") + batch.rows, heartbeat_at=timezone.now()
            )
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKED, check_counts=counts.as_dict(), checked_at=now, heartbeat_at=now
    )
    job.refresh_from_db()
    return counts


def _notable(decision: Decision) -> bool:
    return decision.outcome in ("rejected", "updated", "duplicate")


_JOB_USER: Any = object()


def commit(job: ImportJob, *, batch_size: int = BATCH_SIZE, acting_user: Any = _JOB_USER) -> Counts:
    """Write the job into the registry in atomic batches, resuming after ``committed_through``.

    The writes are made as ``acting_user`` (default: the user who uploaded the file; ``None``
    for the system, as the command line does)."""
    job.refresh_from_db()
    if job.status == ImportStatus.DONE:
        return Counts(**job.counts)
    user = job.created_by if acting_user is _JOB_USER else acting_user
    start = job.committed_through
    if start == 0:
        ImportRow.objects.filter(job=job, phase=RowPhase.COMMIT).delete()
        ImportLink.objects.filter(job=job).delete()
        ImportJob.objects.filter(pk=job.pk).update(created=0, updated=0, unchanged=0, rejected=0, rows_done=0)
    checker, scan, table = _open_for_run(job)
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING,
        total_rows=scan.total,
        started_at=job.started_at or now,
        heartbeat_at=now,
        message="",
    )
    if start == 0 and not job.deferred_indexes:
        _defer_indexes(job, scan.total)
    try:
        with bulk_session():
            _commit_batches(job, user, table, checker, scan, start=start, batch_size=batch_size)
    finally:
        restore_indexes(job)
    unlinked = _link_households(job, user)
    with transaction.atomic():
        job.refresh_from_db()
        job.status, job.finished_at, job.heartbeat_at = ImportStatus.DONE, timezone.now(), timezone.now()
        job.rows_done = job.total_rows or job.rows_done
        job.save(update_fields=["status", "finished_at", "heartbeat_at", "rows_done"])
        access_event_record(
            kind=AccessEventKind.IMPORT,
            user=user,
            username="" if user is not None else "system",
            obj=job,
            detail={
                "sha256": job.sha256,
                "file": job.original_name,
                "region": job.region.code,
                "rows": job.total_rows,
                **job.counts,
                **({"unlinked": unlinked} if unlinked else {}),
            },
        )
    # committed: the ledger (full IDs and phones) is not kept
    storage.delete_file(job)
    return Counts(**job.counts)


# ---- a first load into an empty registry ----------------------------------------------
#
# Most of a write into the registry is spent keeping its secondary indexes (person, history,
# search keys, certificates, tags: two dozen of them). When a big ledger goes into an empty
# registry, the job drops the non-unique ones first and builds them once at the end, from
# sorted data, which is several times cheaper. The unique indexes (the ID number's hash, one
# search key per person) stay and keep enforcing their rule. The dropped definitions are kept
# in the job, in the same transaction as the drop: a process killed meanwhile leaves them there,
# and the resumed commit (the next ``import_ledger`` of the file, or the page's 继续导入) builds
# them at its end. Readers meanwhile get the same answers, more slowly.

DEFER_INDEXES_MIN_ROWS = 50_000


def _registry_tables() -> list[str]:
    from wushe.registry.models import DisabilityCertificate, Person, PersonSearchKey, PersonTag

    tables = []
    for model in (Person, PersonSearchKey, DisabilityCertificate, PersonTag):
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    return tables


def _defer_indexes(job: ImportJob, rows: int) -> None:
    from django.conf import settings

    from wushe.core.bulk import deferrable_indexes, indexes_drop
    from wushe.registry.models import Person

    configured: Any = os.environ.get("WUSHE_IMPORT_DEFER_INDEXES_MIN_ROWS") or getattr(
        settings, "WUSHE_IMPORT_DEFER_INDEXES_MIN_ROWS", DEFER_INDEXES_MIN_ROWS
    )
    minimum = int(configured)
    if rows < minimum or Person.objects.exists():
        return
    with transaction.atomic():
        indexes = deferrable_indexes(*_registry_tables())
        if not indexes:
            return
        ImportJob.objects.filter(pk=job.pk).update(deferred_indexes=indexes)
        indexes_drop(indexes)
    job.deferred_indexes = indexes


def restore_indexes(job: ImportJob) -> None:
    """Build the indexes the job dropped (if any), then forget them."""
    from wushe.core.bulk import indexes_restore

    indexes = ImportJob.objects.filter(pk=job.pk).values_list("deferred_indexes", flat=True).first()
    if not indexes:
        return
    with transaction.atomic():
        indexes_restore(indexes)
        ImportJob.objects.filter(pk=job.pk).update(deferred_indexes=[])
    job.deferred_indexes = []


def _commit_batches(
    job: ImportJob,
    user: Any,
    table: reading.Table,
    checker: RowChecker,
    scan: KeyScan,
    *,
    start: int,
    batch_size: int,
) -> None:
    decider = Decider(job, checker)
    decider.present = scan.present
    reason = _("台账导入 #%(id)s") % {"id": job.pk}
    day = timezone.localdate()
    mark = start
    rows = _rows(table, checker, scan, start=start, workers=_workers(scan.total - job.rows_done))
    for index, batch in enumerate(
        _batches(rows, checker, decider, scan, seal=True, size=batch_size), start=1
    ):
        counts = batch.counts()
        with transaction.atomic():
            person_bulk_upsert(
                acting_user=user,
                creates=[d.row.draft for d in batch.decisions if d.outcome == "created"],  # type: ignore[misc]
                changes=[d.change for d in batch.decisions if d.outcome == "updated" and d.change],
                on=day,
                change_reason=reason,
            )
            ImportRow.objects.bulk_create(
                [_row_record(job, RowPhase.COMMIT, d) for d in batch.decisions if _notable(d)]
            )
            ImportLink.objects.bulk_create(
                [
                    ImportLink(
                        job=job,
                        row_number=d.row.number,
                        member_hash=d.row.draft.id_hash,  # type: ignore[union-attr]
                        head_hash=d.row.household[0],
                        relation=d.row.household[2],
                    )
                    for d in batch.decisions
                    if d.row.household is not None and d.outcome in ("created", "updated", "unchanged")
                ]
            )
            if after_batch_written is not None:
                after_batch_written(job, index)
            moved = ImportJob.objects.filter(pk=job.pk, committed_through=mark).update(
                committed_through=batch.last_row,
                rows_done=F("rows_done") + batch.rows,
                created=F("created") + counts.created,
                updated=F("updated") + counts.updated,
                unchanged=F("unchanged") + counts.unchanged,
                rejected=F("rejected") + counts.rejected,
                heartbeat_at=timezone.now(),
            )
            if moved != 1:
                raise ImportConflict(_("另一个进程正在导入同一任务"))
        mark = batch.last_row


def _link_households(job: ImportJob, user: Any) -> int:
    """Once every batch is in (heads listed after their members included): the households the
    ledger names, in one transaction. Links that cannot be made become 未入户 rows with the
    reason (the person stays registered). Returns how many."""
    from wushe.registry.services import HouseholdLink, household_bulk_link

    links = [
        HouseholdLink(member=m, head=h, relation=r, key=n)
        for n, m, h, r in ImportLink.objects.filter(job=job)
        .order_by("row_number")
        .values_list("row_number", "member_hash", "head_hash", "relation")
    ]
    if not links:
        return 0
    with transaction.atomic():
        failures = household_bulk_link(
            acting_user=user, links=links, change_reason=_("台账导入 #%(id)s") % {"id": job.pk}
        )
        if failures:
            noted = {
                r.row_number: r
                for r in ImportRow.objects.filter(
                    job=job, phase=RowPhase.COMMIT, row_number__in=list(failures)
                )
            }
            for number, reason in failures.items():
                if number in noted:
                    row = noted[number]
                    row.message = f"{row.message}；{reason}" if row.message else reason
                    row.save(update_fields=["message"])
            table = open_table(job)
            try:
                wanted = set(failures) - set(noted)
                ImportRow.objects.bulk_create(
                    [
                        ImportRow(
                            job=job,
                            phase=RowPhase.COMMIT,
                            row_number=number,
                            outcome=RowOutcome.UNLINKED,
                            values=json.dumps([reading.cell_text(c) for c in cells], ensure_ascii=False),
                            message=failures[number],
                        )
                        for number, cells in table.data_rows()
                        if number in wanted
                    ]
                )
            finally:
                table.close()
        ImportLink.objects.filter(job=job).delete()
    return len(failures)


def fail(job: ImportJob, message: str) -> None:
    """The job failed. Its file is deleted unless a commit stopped half-way: that one is resumed
    from the file (kept encrypted, and deleted at the end or past the retention)."""
    ImportJob.objects.filter(pk=job.pk).exclude(status=ImportStatus.DONE).update(
        status=ImportStatus.FAILED, message=message[:2000], heartbeat_at=timezone.now()
    )
    job.refresh_from_db(fields=["committed_through", "status", "file", "file_purged_at"])
    if job.status == ImportStatus.FAILED and not job.committed_through:
        storage.delete_file(job)
