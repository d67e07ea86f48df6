"""``subsidy_roster --region CODE_OR_NAME --month YYYY-MM [--json]``: a street's roster for a month
(as approved, or computed now from the registry's dated facts)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.core.models import Region

from ...eligibility import parse_month
from ...rosters import roster_for


class Command(BaseCommand):
    help = "Print a region's monthly roster of the two disability subsidies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="region code or name")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["region"].strip()
        matches = list(Region.objects.filter(code=wanted)) or list(Region.objects.filter(name=wanted))
        if not matches:
            raise CommandError(f"no region {wanted!r}")
        if len(matches) > 1:
            raise CommandError(f"{len(matches)} regions are named {wanted!r}: give the code")
        try:
            month = parse_month(options["month"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        computed = roster_for(matches[0], month)
        summary = computed.summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        changes = summary["changes"]
        assert isinstance(changes, dict)
        state = "approved" if computed.approved else "computed"
        self.stdout.write(
            f"{matches[0].name} {month:%Y-%m} ({state}): living {summary['living']}, nursing {summary['nursing']}, "
            f"amount {summary['amount']}; new {changes['new']}, stopped {changes['stopped']}, changed {changes['changed']}"
        )
