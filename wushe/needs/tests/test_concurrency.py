"""Concurrent accepts on PostgreSQL never take a resource below zero.

Each thread opens its own database connection and accepts a different need against the same
resource at the same moment (a barrier releases them together). The conditional UPDATE
(``remaining > 0``) makes PostgreSQL queue the writers on the row and re-check the condition,
so exactly ``capacity`` accepts succeed. SQLite serialises writers anyway: skipped there.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.outreach_factories import make_need, make_resource, outreach_in
from wushe.needs.models import Need, NeedStatus
from wushe.needs.services import need_accept
from wushe.partners.models import Resource

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("configuration_back"),  # tests/fixtures.py
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"),
]

THREADS = 8
CAPACITY = 3


def test_concurrent_accepts_never_go_below_zero(tree: Any) -> None:
    o = outreach_in(tree)
    resource = make_resource(o.org, tree.community_a, capacity=CAPACITY, name="并发名额")
    needs = [make_need(o.household) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def accept(need: Need) -> None:
        try:
            barrier.wait()
            need_accept(acting_user=None, need=need, resource=Resource.objects.get(pk=resource.pk))
            outcome = "ok"
        except ValidationError:
            outcome = "full"
        except Exception as exc:  # noqa: BLE001 — reported below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=accept, args=(n,)) for n in needs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["full"] * (THREADS - CAPACITY) + ["ok"] * CAPACITY, results
    resource.refresh_from_db()
    assert resource.remaining == 0
    referred = Need.objects.filter(resource=resource, status=NeedStatus.MATCHED).count()
    assert referred == CAPACITY
