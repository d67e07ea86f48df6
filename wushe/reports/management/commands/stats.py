from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.core.metrics import Scope, as_json_values, compute
from wushe.reports.management.region_period import add_region_period, region_period

# money and rates are Decimal: written as the exact JSON number (506000.00, 98.7), never through a
# float; a marked string first, unquoted after json.dumps
_DECIMAL = "\x00{}\x00"


class Command(BaseCommand):
    help = "Print a region's figures from the metric registry (operator view, whole region)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_region_period(parser)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        region, start, end = region_period(options)
        figures = compute(Scope(region=region, start=start, end=end))
        if options["json"]:
            payload: dict[str, Any] = {
                "region": {"code": region.code, "name": region.name},
                "period": {
                    "from": start.isoformat() if start else None,
                    "to": end.isoformat() if end else None,
                },
                "metrics": as_json_values(figures),
            }
            exact = {k: f.value for k, f in figures.items() if isinstance(f.value, Decimal)}
            payload["metrics"].update({k: _DECIMAL.format(v) for k, v in exact.items() if "E" not in str(v)})
            text = json.dumps(payload, ensure_ascii=False, indent=2)
            self.stdout.write(re.sub(r'"\x00(-?\d+(?:\.\d+)?)\x00"', r"\1", text.replace("\\u0000", "\x00")))
            return
        self.stdout.write(f"{region.name} ({region.code})")
        for f in figures.values():
            unit = "" if f.rate else f" {f.unit}"
            self.stdout.write(f"  {f.key:<24} {f.label:<16} {f.display}{unit}")
