"""Search is served by indexes: on PostgreSQL no query of the search box scans a whole table.

With sequential scans disabled the planner still falls back to one when no index fits the
query, so a ``Seq Scan`` in the plan means a missing or mismatched index.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from wushe.registry.selectors import PersonFilters, person_list

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="planner check for PostgreSQL")


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["祝长", "zcl", "zhuchang", "13812345678"])
def test_person_search_uses_indexes(q: str, users: Any, person_a: Any, person_b: Any) -> None:
    qs = person_list(user=users.street_admin, filters=PersonFilters(q=q))[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = qs.explain()
        found = list(qs)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert found == [person_a]
    for table in ("registry_person ", "registry_personsearchkey", "core_region"):
        assert f"Seq Scan on {table}" not in plan, plan


@pytest.mark.django_db
def test_id_number_search_uses_the_hash_index(users: Any, person_a: Any) -> None:
    qs = person_list(user=users.street_admin, filters=PersonFilters(q=person_a.id_number))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = qs.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert "Seq Scan on registry_person " not in plan, plan
