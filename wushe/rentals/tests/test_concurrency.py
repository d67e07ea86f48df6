"""Ten workers lend the same wheelchair at once on PostgreSQL, each on its own connection: the
item's row lock queues them, exactly one rental is made and the others are told the item is out.
SQLite serialises writers anyway: skipped there."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import PersonFactory
from wushe.rentals.models import DepositEntry, Item, ItemStatus, Rental

from .conftest import lend

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"),
]

THREADS = 10
DEFAULTS = (
    ("wushe.registry.migrations.0002_default_tags_and_colours", "forwards"),
    ("wushe.needs.migrations.0004_default_categories", "add"),
    ("wushe.care.migrations.0002_default_service_types", "install"),
    ("wushe.rentals.migrations.0002_default_catalogue", "install"),
)


@pytest.fixture(scope="module", autouse=True)
def _configuration_back(django_db_blocker: Any) -> Iterator[None]:
    """The catalogue before (an earlier flushing test may have emptied it) and after (this test
    flushes it for the next ones); the installers only add what is missing."""
    from django.apps import apps

    def install() -> None:
        with django_db_blocker.unblock():
            for module, function in DEFAULTS:
                getattr(importlib.import_module(module), function)(apps, None)

    install()
    yield
    install()


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
