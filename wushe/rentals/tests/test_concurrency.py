"""Ten workers lend the same wheelchair at once on PostgreSQL, each on its own connection: the
item's row lock queues them, exactly one rental is made and the others are told the item is out.
SQLite serialises writers anyway: skipped there."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import PersonFactory
from wushe.rentals.models import DepositEntry, Item, ItemStatus, Rental

from .conftest import lend

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("configuration_back"),  # tests/fixtures.py
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"),
]

THREADS = 10


def test_one_wheelchair_is_lent_once(rw: Any, tree: Any) -> None:
    people = [PersonFactory(region=tree.grid_a) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(person: Any) -> None:
        try:
            barrier.wait()
            lend(rw, Item.objects.get(pk=rw.chair.pk), person=person)
            outcome = "ok"
        except ValidationError as exc:
            outcome = "refused" if "item" in exc.message_dict else f"error: {exc!r}"
        except Exception as exc:  # noqa: BLE001 — reported below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(results) == ["ok"] + ["refused"] * (THREADS - 1), results
    assert Rental.objects.filter(item=rw.chair).count() == 1
    assert DepositEntry.objects.filter(rental__item=rw.chair).count() == 1
    rw.chair.refresh_from_db()
    assert rw.chair.status == ItemStatus.RENTED
