from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from wushe.reports.docx import write_docx
from wushe.reports.management.region_period import add_region_period, region_period
from wushe.reports.narrative import work_report
from wushe.reports.periods import Period, this_year


class Command(BaseCommand):
    help = (
        "Write a region's work report (工作总结) for a period as a Word document "
        "(operator view, whole region; default period: this year up to today)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_region_period(parser)
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--print", action="store_true", help="also print the text")

    def handle(self, *args: Any, **options: Any) -> None:
        region, start, end = region_period(options)
        today = timezone.localdate()
        end = end or today
        start = start or (
            this_year(today).start if end >= this_year(today).start else end.replace(month=1, day=1)
        )
        report = work_report(region=region, period=Period(start, max(start, end)))
        out = Path(options["out"])
        with out.open("wb") as fh:
            write_docx(report, fh)
        if options["print"]:
            self.stdout.write(report.text)
        self.stdout.write(f"{out}: {report.title} ({len(report.stated)} figures)")
