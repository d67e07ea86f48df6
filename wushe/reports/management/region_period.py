"""What the ``stats`` and ``work_report`` commands share: ``--region`` (a code or a name) and the
period ``--from`` / ``--to``, read and checked once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.http import Http404

from wushe.core.dates import bounded_date
from wushe.core.models import Region
from wushe.core.selectors import region_resolve


def parse_day(value: str | None, option: str) -> Any:
    """``YYYY-MM-DD`` within 1900–2100, or a CommandError naming the option."""
    try:
        return bounded_date(value, field=option)
    except ValidationError as exc:
        raise CommandError(f"{option}: {' '.join(exc.messages)} ({value!r})") from None


def add_region_period(parser: CommandParser) -> None:
    parser.add_argument("--region", required=True, help="region code or name, e.g. 市西街道")
    parser.add_argument("--from", dest="start", help="first day of the period (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", help="last day of the period (YYYY-MM-DD)")


def region_period(
    options: dict[str, Any],
) -> tuple[Region, datetime.date | None, datetime.date | None]:
    """The region the options name (exactly one) and the period's days, each checked."""
    try:
        region = region_resolve(code_or_name=options["region"])
    except Http404:
        raise CommandError(f"no single region matches {options['region']!r}") from None
    start = parse_day(options["start"], "--from")
    end = parse_day(options["end"], "--to")
    if start and end and start > end:
        raise CommandError("--from must not be later than --to")
    return region, start, end
