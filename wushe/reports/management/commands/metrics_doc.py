from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.reports.metrics_doc import metrics_markdown


class Command(BaseCommand):
    help = "Write docs/metrics.md from the metric registry (to stdout, or --out FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="file to write instead of stdout, e.g. docs/metrics.md")

    def handle(self, *args: Any, **options: Any) -> None:
        text = metrics_markdown()
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
            return
        self.stdout.write(text, ending="")
