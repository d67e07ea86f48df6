"""``manage.py purge_uploads``: delete the uploaded ledgers wushe no longer needs.

Removes the file of every job that ended (committed, failed, abandoned) and of every job left
waiting longer than ``WUSHE_IMPORT_RETENTION_DAYS`` days (never confirmed, or stopped half-way
and never resumed), and every file under ``MEDIA_ROOT/imports`` that no job refers to (older than
an hour: an upload being stored is not an orphan yet). Prints what it removed; running it again
removes nothing more. Run it daily (cron or a systemd timer).
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from wushe.imports import storage
from wushe.imports.limits import limit
from wushe.imports.models import ACTIVE_STATUSES, ImportJob, ImportStatus

ORPHAN_GRACE = datetime.timedelta(hours=1)


class Command(BaseCommand):
    help = "删除过期或已结束任务的台账文件及无主文件 / delete uploaded ledgers past the retention, ended, or orphaned"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="保留天数（默认 WUSHE_IMPORT_RETENTION_DAYS）/ retention in days",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        days = opts["days"] if opts["days"] is not None else limit("WUSHE_IMPORT_RETENTION_DAYS")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        removed = 0
        jobs = (
            ImportJob.objects.filter(file_purged_at__isnull=True)
            .exclude(file="")
            .filter(
                Q(status=ImportStatus.DONE)
                | Q(status=ImportStatus.FAILED, committed_through=0)
                | (Q(created_at__lt=cutoff) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff)))
            )
        )
        for job in jobs.order_by("pk"):
            if job.status in ACTIVE_STATUSES and job.heartbeat_at and job.heartbeat_at >= cutoff:
                continue
            storage.delete_file(job)
            removed += 1
            self.stdout.write(
                f"任务 #{job.pk} 的文件已删除 / removed the file of job #{job.pk} ({job.status})"
            )
        kept = set(
            ImportJob.objects.filter(file_purged_at__isnull=True)
            .exclude(file="")
            .values_list("file", flat=True)
        )
        root = Path(settings.MEDIA_ROOT)
        grace = time.time() - ORPHAN_GRACE.total_seconds()
        for path in list(storage.stored_files(root)):
            relative = path.relative_to(root).as_posix()
            if relative in kept:
                continue
            try:
                if path.stat().st_mtime > grace:
                    continue
                path.unlink()
            except FileNotFoundError:
                continue
            removed += 1
            self.stdout.write(f"无主文件已删除 / removed orphan file {relative}")
        self.stdout.write(f"共删除 {removed} 个文件 / {removed} file(s) removed")
