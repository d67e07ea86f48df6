"""Count again each household's latest visit day (``Household.last_visited_on``) from its visits.

The visits' services keep the day in the transaction of every visit they write; run this after
visits were loaded around them (a bulk load with ``COPY``, a partial restore). It changes only the
households whose day is wrong and prints how many that were (0 when all were right)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wushe.visits.services import household_visit_days_recount


class Command(BaseCommand):
    help = "Count again each household's latest visit day from its visits; prints how many were wrong."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(household_visit_days_recount()))
