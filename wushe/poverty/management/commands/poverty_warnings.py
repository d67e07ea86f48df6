"""Run the early-warning rules (schedule it daily, e.g. a systemd timer or cron at 02:00)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.poverty.services import early_warning_run


class Command(BaseCommand):
    help = "Run the 返贫预警 rules now (daily); prints how many new warnings were raised."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="as of this day (YYYY-MM-DD), today by default")

    def handle(self, *args: Any, **options: Any) -> None:
        day = datetime.date.fromisoformat(options["on"]) if options.get("on") else None
        run = early_warning_run(on=day)
        self.stdout.write(f"{run.raised}")
