"""The same offline item sent at the same moment from several connections (a phone retrying
while its first request is still on its way) is recorded once on PostgreSQL: the receipt's
unique (user, key) row is inserted first, the others wait on it and then read its answer.
SQLite serialises writers anyway: skipped there."""

from __future__ import annotations

import datetime
import threading
import uuid
from typing import Any

import pytest
from django.db import connection, connections

from tests.outreach_factories import household_in, units_for
from wushe.needs.models import Need
from wushe.visits import services
from wushe.visits.models import OfflineReceipt, Visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("configuration_back"),  # tests/fixtures.py
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
]

THREADS = 6


def test_one_key_sent_at_once_from_many_connections_is_one_visit(tree: Any, users: Any) -> None:
    units_for(tree.street, [tree.community_a])
    household = household_in(tree.grid_a)
    key = uuid.uuid4()
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            barrier.wait()
            received = services.offline_visit_record(
                acting_user=users.worker_a,
                key=key,
                data=services.VisitInput(
                    visited_on=datetime.date(2026, 6, 1),
                    household=household,
                    needs=[{"category": "psych", "description": "并发"}],
                ),
            )
            outcome = (
                f"repeat {received.result['visit']}" if received.repeat else f"new {received.result['visit']}"
            )
        except Exception as exc:  # noqa: BLE001 — reported below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=send) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    visit = Visit.objects.get()
    assert sorted(results) == sorted([f"new {visit.pk}"] + [f"repeat {visit.pk}"] * (THREADS - 1)), results
    assert Need.objects.count() == 1 and OfflineReceipt.objects.count() == 1


def test_visits_of_one_household_recorded_at_once_keep_its_latest_day(tree: Any, users: Any) -> None:
    """Visits of one household recorded and corrected at the same moment from several connections:
    the day kept on the household is the latest of them all (each write locks the household
    before it counts again)."""
    from wushe.visits import editing

    units_for(tree.street, [tree.community_a])
    household = household_in(tree.grid_a)
    first = services.visit_record(
        acting_user=users.worker_a,
        data=services.VisitInput(visited_on=datetime.date(2026, 1, 1), household=household),
    )
    days = [datetime.date(2026, 2, 1) + datetime.timedelta(days=n) for n in range(THREADS - 1)]
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def record(day: datetime.date) -> None:
        try:
            barrier.wait()
            services.visit_record(
                acting_user=users.worker_a, data=services.VisitInput(visited_on=day, household=household)
            )
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def correct() -> None:
        try:
            barrier.wait()
            editing.visit_update(
                acting_user=users.worker_a,
                visit=first,
                reason="日期记错",
                visited_on=datetime.date(2026, 1, 2),
            )
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(d,)) for d in days] + [threading.Thread(target=correct)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    household.refresh_from_db()
    assert household.last_visited_on == max(days) == max(Visit.objects.values_list("visited_on", flat=True))
