"""Writes of the imports app: upload a ledger, confirm its mapping, start the dry run and the commit.

The heavy work is in :mod:`wushe.imports.engine`; the background tasks in
:mod:`wushe.imports.tasks` call it. Registry rows are written only by
``wushe.registry.services.person_bulk_upsert``.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.models import AccessEventKind, Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.services import access_event_record

from . import limits, reading, sandbox, storage
from .models import ACTIVE_STATUSES, ImportJob, ImportMapping, ImportStatus
from .selectors import job_is_stale


def _sha256(fileobj: Any) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def remembered_mapping(headers: list[str]) -> list[str] | None:
    saved = ImportMapping.objects.filter(shape=reading.header_shape(headers)).first()
    if saved is None or len(saved.mapping) != len(headers):
        return None
    return list(saved.mapping)


def _read_head(path: str, file_type: str) -> dict[str, Any]:
    """In the capped reading child: the header found and the first rows, masked."""
    table = reading.open_table(path, file_type)
    try:
        return {
            "samples": _samples(table),
            "sheet_name": table.sheet_name,
            "header_first": table.header_first,
            "header_last": table.header_last,
            "headers": table.headers,
            "title": table.title[:200],
        }
    finally:
        table.close()


@transaction.atomic
def job_create(
    *,
    acting_user: User | None,
    region: Region,
    fileobj: Any,
    name: str,
    as_of: datetime.datetime | None = None,
) -> ImportJob:
    """Store the uploaded ledger (encrypted), find its header and propose a column mapping.

    ``fileobj`` is an open binary file (an ``UploadedFile`` or a file from disk); ``name`` its
    original name, whose extension must say .xlsx, .xls or .csv. Raises ``ValidationError`` on
    ``file`` with the reason when the file cannot be read as a ledger or is beyond the limits
    (:mod:`wushe.imports.limits`); the header is found in a child process with a memory cap
    (:mod:`wushe.imports.sandbox`), and a refused file leaves nothing on disk.
    """
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, region)
    ext = reading.FILE_TYPES
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in (*ext, "xlsm"):
        raise ValidationError(
            {
                "file": _("不支持的文件类型“%(ext)s”：请上传 Excel 工作簿（.xlsx、.xls）或 CSV 文件（.csv）")
                % {"ext": "." + suffix if suffix else _("无扩展名")}
            }
        )
    sha, size = _sha256(fileobj)
    if size == 0:
        raise ValidationError({"file": _("文件是空的")})
    if size > limits.limit("WUSHE_IMPORT_MAX_BYTES"):
        raise ValidationError({"file": limits.too_large_message(size)})
    job = ImportJob(
        region=region,
        original_name=name[:255],
        file_type="xlsx" if suffix == "xlsm" else suffix,
        size=size,
        sha256=sha,
        as_of=as_of or timezone.now(),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    storage.save_encrypted(job, fileobj)
    try:
        job.file_type = reading.detect_file_type(job.file.path, name)
        limits.preflight(fileobj, job.file_type)
        head = sandbox.run_capped(_read_head, job.file.path, job.file_type)
    except reading.ReadError as exc:
        if not ImportJob.objects.filter(file=job.file.name, file_purged_at__isnull=True).exists():
            job.file.storage.delete(job.file.name)
        raise ValidationError({"file": str(exc)}) from None
    job.samples = head["samples"]
    job.sheet_name = head["sheet_name"]
    job.header_first, job.header_last = head["header_first"], head["header_last"]
    job.headers = head["headers"]
    job.title = head["title"]
    job.mapping = remembered_mapping(job.headers) or reading.guess_mapping(job.headers)
    job.save()
    return job


@transaction.atomic
def job_abandon(*, acting_user: User | None, job: ImportJob) -> ImportJob:
    """Give up a job not committed (nothing of it is in the registry): its file is deleted now.
    A commit under way, or one that stopped half-way (resume it instead), cannot be abandoned."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, job.region)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.committed_through or job.status == ImportStatus.DONE:
        raise ValidationError({"status": _("导入已经开始，不能放弃：请继续导入")})
    if job.status in ACTIVE_STATUSES and not job_is_stale(job):
        raise ValidationError({"status": _("任务正在处理，请等它结束后再放弃")})
    job.status = ImportStatus.FAILED
    job.message = _("已放弃，上传的文件已删除")
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    storage.delete_file(job)
    access_event_record(
        kind=AccessEventKind.IMPORT,
        user=acting_user,
        obj=job,
        detail={"action": "abandoned", "sha256": job.sha256, "file_deleted": True},
    )
    return job


_LONG_NUMBER = re.compile(r"\d{7,}")


def _mask(text: str) -> str:
    """Sample cells shown on the mapping page: long numbers (IDs, phones) keep their ends only."""
    return _LONG_NUMBER.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 6) + m.group()[-3:], text)[:40]


def _samples(table: reading.Table, n: int = 3) -> list[list[str]]:
    samples = []
    for _number, cells in table.data_rows():
        samples.append([_mask(reading.cell_text(c)) for c in cells[: len(table.headers)]])
        if len(samples) >= n:
            break
    return samples


def _check_mapping(headers: list[str], mapping: list[str]) -> list[str]:
    if len(mapping) != len(headers):
        raise ValidationError({"mapping": _("列对应的列数与表头不一致")})
    clean = [m or "" for m in mapping]
    unknown = [m for m in clean if m and m not in reading.FIELD_BY_KEY]
    if unknown:
        raise ValidationError({"mapping": _("未知的字段：%(f)s") % {"f": "、".join(unknown)}})
    seen: dict[str, int] = {}
    for i, key in enumerate(clean):
        if key and key in seen:
            raise ValidationError(
                {
                    "mapping": _("“%(f)s”同时对应了第%(a)d列和第%(b)d列：一个字段只能对应一列")
                    % {"f": reading.FIELD_BY_KEY[key].label, "a": seen[key] + 1, "b": i + 1}
                }
            )
        seen[key] = i
    missing = [k for k in reading.REQUIRED_FIELDS if k not in seen]
    if missing:
        raise ValidationError(
            {
                "mapping": _("必须指定“%(f)s”对应的列")
                % {"f": "”“".join(str(reading.FIELD_BY_KEY[k].label) for k in missing)}
            }
        )
    return clean


def job_can_check(job: ImportJob) -> bool:
    """Whether the mapping may still change and the dry run (re)start: nothing committed yet, and
    no dry run or commit under way (one whose process died counts as stopped)."""
    if job.committed_through or job.file_purged_at is not None:
        return False
    if job.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED):
        return True
    return job.status == ImportStatus.CHECKING and job_is_stale(job)


@transaction.atomic
def job_set_mapping(*, acting_user: User | None, job: ImportJob, mapping: list[str]) -> ImportJob:
    """Confirm or correct the mapping; it is remembered for the next file with the same header."""
    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, job.region)
    if not job_can_check(job):
        raise ValidationError({"mapping": _("导入已经开始，不能再修改列对应")})
    job.mapping = _check_mapping(job.headers, mapping)
    job.status = ImportStatus.UPLOADED
    job.check_counts = {}
    job.save(update_fields=["mapping", "status", "check_counts"])
    ImportMapping.objects.update_or_create(
        shape=reading.header_shape(job.headers),
        defaults={
            "headers": job.headers,
            "mapping": job.mapping,
            "updated_by": acting_user if getattr(acting_user, "is_authenticated", False) else None,
        },
    )
    return job


@transaction.atomic
def job_check_start(*, acting_user: User | None, job: ImportJob) -> ImportJob:
    """Queue the dry run."""
    from .tasks import check_job

    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, job.region)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job_can_check(job):
        raise ValidationError({"status": _("该导入任务当前不能检查")})
    _check_mapping(job.headers, job.mapping)
    job.status, job.rows_done, job.message = ImportStatus.CHECKING, 0, ""
    job.heartbeat_at = timezone.now()  # queued now: how long it waits for a worker counts from here
    job.save(update_fields=["status", "rows_done", "message", "heartbeat_at"])
    transaction.on_commit(lambda: _enqueue(check_job, job))
    return job


@transaction.atomic
def job_commit_start(*, acting_user: User | None, job: ImportJob) -> ImportJob:
    """Queue the commit (after a dry run), or resume one that failed or whose process died."""
    from .tasks import commit_job

    require_perm(acting_user, MANAGE_PERSONS)
    require_region_in_scope(acting_user, job.region)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    resumable = job.committed_through > 0 and (
        job.status == ImportStatus.FAILED
        or (job.status in (ImportStatus.RUNNING, ImportStatus.QUEUED) and job_is_stale(job))
    )
    stuck = job.status == ImportStatus.QUEUED and job_is_stale(job)  # queued, never picked up
    if job.file_purged_at is not None:
        raise ValidationError(
            {"status": _("上传的文件已删除（已完成、已放弃、失败或超过保留期限）：请重新上传")}
        )
    if not (job.status == ImportStatus.CHECKED or resumable or stuck):
        raise ValidationError({"status": _("请先完成检查（试导入），再正式导入")})
    job.status, job.message = ImportStatus.QUEUED, ""
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "message", "heartbeat_at"])
    transaction.on_commit(lambda: _enqueue(commit_job, job))
    return job


def _enqueue(task: Any, job: ImportJob) -> None:
    result = task.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(getattr(result, "id", ""))[:64])


def job_mark_running(*, job: ImportJob) -> None:
    """The command line runs the job itself, in this process: mark it running."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
