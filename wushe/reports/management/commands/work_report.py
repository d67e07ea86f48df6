from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import timezone

from wushe.core.dates import bounded_date
from wushe.core.selectors import region_resolve
from wushe.reports.docx import write_docx
from wushe.reports.narrative import work_report
from wushe.reports.periods import Period, this_year


def parse_day(value: str | None, option: str) -> Any:
    """``YYYY-MM-DD`` within 1900–2100, or a CommandError naming the option."""
    try:
        return bounded_date(value, field=option)
    except ValidationError as exc:
        raise CommandError(f"{option}: {' '.join(exc.messages)} ({value!r})") from None


class Command(BaseCommand):
    help = (
        "Write a region's work report (工作总结) for a period as a Word document "
        "(operator view, whole region; default period: this year up to today)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="region code or name, e.g. 市西街道")
        parser.add_argument("--from", dest="start", help="first day of the period (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", help="last day of the period (YYYY-MM-DD)")
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--print", action="store_true", help="also print the text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = region_resolve(code_or_name=options["region"])
        except Http404:
            raise CommandError(f"no single region matches {options['region']!r}") from None
        start = parse_day(options["start"], "--from")
        end = parse_day(options["end"], "--to")
        if start and end and start > end:
            raise CommandError("--from must not be later than --to")
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
