"""The rental figures, computed from the records and again from their drill-down records."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from wushe.core.checks import today
from wushe.core.metrics import Scope, compute, recompute
from wushe.rentals.models import ItemStatus
from wushe.rentals.services import item_add, item_advance, rental_return

from .conftest import lend, wheelchair

pytestmark = pytest.mark.django_db

KEYS = ("rentals.items", "rentals.active", "rentals.overdue", "rentals.utilization")


def test_figures_come_from_the_records(rw: Any, tree: Any) -> None:
    third = item_add(
        acting_user=None, site=rw.site, device_type=wheelchair(), serial_number="LY-003", acquired_on=today()
    )
    scrapped = item_add(
        acting_user=None, site=rw.site, device_type=wheelchair(), serial_number="LY-004", acquired_on=today()
    )
    item_advance(acting_user=None, item=scrapped, to_status=ItemStatus.SCRAPPED, note="损坏")
    lend(
        rw,
        rw.chair,
        started_on=today() - datetime.timedelta(days=100),
        due_on=today() - datetime.timedelta(days=1),
    )
    back = lend(rw, rw.chair2, person=rw.person_b, started_on=today() - datetime.timedelta(days=20))
    rental_return(
        acting_user=None, rental=back, returned_on=today() - datetime.timedelta(days=2), condition="good"
    )
    scope = Scope(region=tree.street)
    f = compute(scope, KEYS)
    assert f["rentals.items"].value == 3  # not the scrapped one
    assert f["rentals.active"].value == 1
    assert f["rentals.overdue"].value == 1
    assert f["rentals.utilization"].value == Decimal("33.3")
    for key in KEYS:
        assert recompute(key, scope) == f[key].value, key
    # as of a day the second wheelchair was still out
    past = Scope(
        region=tree.street,
        start=today() - datetime.timedelta(days=10),
        end=today() - datetime.timedelta(days=5),
    )
    assert compute(past, ["rentals.active"])["rentals.active"].value == 2
    # the other street sees none of it
    assert compute(Scope(region=tree.other_street), KEYS)["rentals.items"].value == 0
    assert compute(Scope(region=tree.other_street), KEYS)["rentals.utilization"].value is None
    del third
