"""``manage.py purge_exports``: delete the workbooks of exports made in the background once they are
older than ``WUSHE_EXPORT_KEEP_HOURS`` hours, and files under ``WUSHE_EXPORT_ROOT`` no export names.
The task worker does this after every export; run it daily (cron or a systemd timer) as well, so
the files go even when nobody exports. Prints how many files it deleted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wushe.core.services import export_jobs_purge


class Command(BaseCommand):
    help = "删除过期的后台导出文件 / delete the background exports' files past their time"

    def handle(self, *args: Any, **opts: Any) -> None:
        n = export_jobs_purge()
        self.stdout.write(f"已删除 {n} 个导出文件 / {n} export files deleted")
