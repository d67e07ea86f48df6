"""Running a job: the dry run (:func:`check`), the commit in atomic batches (:func:`commit`),
the household links after it and a failed job (:func:`fail`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.core.bulk import bulk_session
from wushe.core.models import AccessEventKind
from wushe.core.services import access_event_record
from wushe.registry.services import (
    person_bulk_upsert,
)

from .. import reading, storage
from ..models import ImportJob, ImportLink, ImportRow, ImportStatus, RowOutcome, RowPhase
from ..rows import RowChecker
from .batches import BATCH_SIZE, Counts, ImportConflict, row_record
from .checking import decided_batches, rows_checked, worker_count
from .decide import Decider, Decision
from .indexes import defer_indexes, restore_indexes
from .scan import KeyScan, build_checker, open_table, scan_keys

# Called inside each batch's transaction after its registry writes (tests make it raise to
# simulate a process killed in the middle of a batch).
after_batch_written: Callable[[ImportJob, int], None] | None = None


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
    rows = rows_checked(table, checker, scan, start=0, workers=worker_count(scan.total))
    for batch in decided_batches(rows, checker, decider, scan, seal=False, size=batch_size):
        counts.add(batch.counts())
        with transaction.atomic():
            ImportRow.objects.bulk_create(
                [row_record(job, RowPhase.CHECK, d) for d in batch.decisions if _notable(d)]
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


class _Default(Enum):
    JOB_USER = "the user who uploaded the file"


_JOB_USER = _Default.JOB_USER


def commit(
    job: ImportJob,
    *,
    batch_size: int = BATCH_SIZE,
    acting_user: User | None | Literal[_Default.JOB_USER] = _JOB_USER,
) -> Counts:
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
        defer_indexes(job, scan.total)
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


def _commit_batches(
    job: ImportJob,
    user: User | None,
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
    rows = rows_checked(table, checker, scan, start=start, workers=worker_count(scan.total - job.rows_done))
    for index, batch in enumerate(
        decided_batches(rows, checker, decider, scan, seal=True, size=batch_size), start=1
    ):
        counts = batch.counts()
        with transaction.atomic():
            person_bulk_upsert(
                acting_user=user,
                creates=[d.row.checked_draft for d in batch.decisions if d.outcome == "created"],
                changes=[d.change for d in batch.decisions if d.outcome == "updated" and d.change],
                on=day,
                change_reason=reason,
            )
            ImportRow.objects.bulk_create(
                [row_record(job, RowPhase.COMMIT, d) for d in batch.decisions if _notable(d)]
            )
            ImportLink.objects.bulk_create(
                [
                    ImportLink(
                        job=job,
                        row_number=d.row.number,
                        member_hash=d.row.checked_draft.id_hash,
                        head_hash=d.row.household.head_hash,
                        relation=d.row.household.relation,
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


def _link_households(job: ImportJob, user: User | None) -> int:
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
