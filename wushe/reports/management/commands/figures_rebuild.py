"""``manage.py figures_rebuild [--region 代码或名称]``: count again every dashboard stored for today
(of the region, the regions below it and those above it; all without ``--region``) and delete
those stored for earlier days. Run it after records were loaded around the services (a bulk
``COPY``, a restore); the task worker keeps them current otherwise. Prints what it did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from wushe.core.selectors import region_resolve
from wushe.reports.services import figures_rebuild


class Command(BaseCommand):
    help = "重新计算今天预先计算的看板统计 / count the stored dashboards of today again"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="区划代码或名称 / region code or name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = region_resolve(code_or_name=options["region"]) if options["region"] else None
        except Http404:
            raise CommandError(f"找不到区域 / no such region: {options['region']}") from None
        counted, deleted = figures_rebuild(region=region)
        self.stdout.write(
            f"重新计算 {counted} 个看板，删除 {deleted} 个往日的看板 / "
            f"{counted} dashboards counted again, {deleted} of earlier days deleted"
        )
