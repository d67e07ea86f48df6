from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.core.metrics import Scope, as_json_values, compute
from wushe.reports.management.region_period import add_region_period, region_period


class Command(BaseCommand):
    help = "Print a region's figures from the metric registry (operator view, whole region)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_region_period(parser)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        region, start, end = region_period(options)
        figures = compute(Scope(region=region, start=start, end=end))
        if options["json"]:
            payload = {
                "region": {"code": region.code, "name": region.name},
                "period": {
                    "from": start.isoformat() if start else None,
                    "to": end.isoformat() if end else None,
                },
                "metrics": as_json_values(figures),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{region.name} ({region.code})")
        for f in figures.values():
            unit = "" if f.rate else f" {f.unit}"
            self.stdout.write(f"  {f.key:<24} {f.label:<16} {f.display}{unit}")
