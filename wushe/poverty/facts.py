"""The facts the rule engine reads from the poverty work (``registry.facts``): per person, their
household's latest check up to the day (per-person income, the threshold, failed items) and
whether the household is monitored."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from wushe.registry.models import Person

from .models import HouseholdCheck, MonitoringObject, ObjectStatus


def check_facts(
    persons: Sequence[Person], day: datetime.date
) -> Mapping[int, Mapping[str, Mapping[str, Any]]]:
    household_ids = {p.household_id for p in persons if p.household_id}
    latest: dict[int, HouseholdCheck] = {}
    for check in (
        HouseholdCheck.objects.filter(household_id__in=household_ids, checked_on__lte=day)
        .prefetch_related("items")
        .order_by("household_id", "-checked_on", "-id")
    ):
        latest.setdefault(check.household_id, check)
    monitored = set(
        MonitoringObject.objects.filter(
            household_id__in=household_ids, status=ObjectStatus.MONITORED, started_on__lte=day
        ).values_list("household_id", flat=True)
    )
    out: dict[int, dict[str, dict[str, Any]]] = {}
    for p in persons:
        found: HouseholdCheck | None = latest.get(p.household_id) if p.household_id else None
        out[p.pk] = {
            "household": {
                "income_per_person": found.income_per_person if found is not None else Decimal("-1"),
                "checked": found is not None,
                "failed_items": sorted(i.item for i in found.items.all() if not i.passed)
                if found is not None
                else [],
                "monitored": p.household_id in monitored,
            }
        }
    return out
