"""Reads of the imports app, scoped to the user through ``visible_to``."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from wushe.core.scoping import get_visible_or_404
from wushe.core.taskstate import stale_after, waiting_for_worker
from wushe.core.validators import mask_id_number, normalise_digits

from . import reading
from .models import ImportJob, ImportRow, ImportStatus, RowPhase

if TYPE_CHECKING:
    from wushe.accounts.models import User
    from wushe.core.models import Region
    from wushe.core.types import AnyUser


def job_list(*, user: AnyUser) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.visible_to(user)
        .select_related("region", "created_by")
        .order_by("-created_at", "-id")
    )


RECENT_DAYS = 7  # how long a finished or failed import stays on its importer's home


def jobs_to_look_at(user: AnyUser) -> QuerySet[ImportJob]:
    """To-do: the user's own imports that want a look — checked and waiting for the go-ahead,
    or finished or failed in the last ``RECENT_DAYS`` days — the newest first."""
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    return job_list(user=user).filter(
        Q(status=ImportStatus.CHECKED)
        | Q(status__in=(ImportStatus.DONE, ImportStatus.FAILED), finished_at__gte=since),
        created_by_id=getattr(user, "pk", None),
    )


def get_job_for_user(*, user: AnyUser, pk: int | str) -> ImportJob:
    return get_visible_or_404(ImportJob.objects.select_related("region", "created_by"), user, pk=pk)


def job_phase(job: ImportJob) -> str:
    """Whose rows the page shows: the commit's once it has started, else the dry run's."""
    if job.status in (ImportStatus.RUNNING, ImportStatus.DONE) or job.committed_through:
        return RowPhase.COMMIT
    return RowPhase.CHECK


def job_rows(*, job: ImportJob, phase: str, outcome: str) -> QuerySet[ImportRow]:
    return ImportRow.objects.filter(job=job, phase=phase, outcome=outcome).order_by("row_number")


def row_display(job: ImportJob, row: ImportRow) -> dict[str, Any]:
    """A notable row for a page: its number, the person's name and masked ID, and the message."""
    try:
        cells = json.loads(row.values or "[]")
    except ValueError:
        cells = []
    mapping = job.mapping

    def cell(key: str) -> str:
        if key in mapping and mapping.index(key) < len(cells):
            return str(cells[mapping.index(key)] or "")
        return ""

    raw_id = cell("id_number")
    digits = normalise_digits(raw_id)
    shown_id = (
        mask_id_number(digits) if len(digits) in (15, 18) and digits[:6].isdigit() else raw_id[:6] + "…"
    )
    return {
        "number": row.row_number,
        "name": cell("name")[:20],
        "id": shown_id if raw_id else "",
        "message": row.message,
        "outcome": row.outcome,
    }


def field_choices() -> list[tuple[str, str]]:
    return [(f.key, str(f.label) + ("" if f.imported else "（暂不导入）")) for f in reading.FIELDS]


def job_is_stale(job: ImportJob) -> bool:
    """A job under way that has made no progress for ``WUSHE_TASK_STALE_SECONDS`` (its process
    was killed, or no worker picked its task up): it can be resumed."""
    if job.status not in (ImportStatus.RUNNING, ImportStatus.QUEUED, ImportStatus.CHECKING):
        return False
    last = job.heartbeat_at or job.created_at
    return timezone.now() - last > stale_after()


def job_waits_for_worker(job: ImportJob) -> bool:
    """A stale job whose task no worker has picked up: the task worker is not running (or is
    busy elsewhere), which the job's page says in so many words."""
    return job_is_stale(job) and waiting_for_worker(job.task_id)


def unfinished_job(*, sha256: str, region: Region, user: User | None) -> ImportJob | None:
    """The latest job of the same file, region and user that committed part of its rows and did
    not finish (the command line resumes it)."""
    return (
        ImportJob.objects.filter(
            sha256=sha256,
            region=region,
            created_by=user,
            committed_through__gt=0,
            status__in=[ImportStatus.RUNNING, ImportStatus.FAILED, ImportStatus.QUEUED],
        )
        .order_by("-created_at")
        .first()
    )
