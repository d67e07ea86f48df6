"""The read replica (``DATABASE_REPLICA_URL``, core/replica.py): figures and exports read from a
second database alias, everything else — and every write — from ``default``.

The second alias here is a second connection to the test database (on SQLite its shared
in-memory database, on PostgreSQL the test database): what a streaming replica is to the
primary, without the lag. Which alias each query went to is what is tested.
"""

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login
from tests.factories import PersonFactory
from wushe.core.replica import REPLICA, ReplicaRouter, replica_reads
from wushe.registry.models import Person

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup: None) -> Iterator[None]:
    """The alias for this module's tests only (set before pytest-django opens the test's
    databases, after it made the test database; the other modules' tests run without a replica)."""
    connections.settings[REPLICA] = copy.deepcopy(connections.settings["default"])
    try:
        yield
    finally:
        if REPLICA in connections:
            connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def _selects(queries: CaptureQueriesContext, table: str) -> list[str]:
    """The reads of a table (on PostgreSQL an export reads through a server-side cursor: DECLARE …)."""
    return [q["sql"] for q in queries.captured_queries if "SELECT" in q["sql"] and table in q["sql"]]


def test_without_a_replica_everything_stays_on_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wushe.core.replica.replica_configured", lambda: False)
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Person) is None
    assert router.db_for_write(Person) == "default"
    assert router.allow_migrate("default", "registry") and not router.allow_migrate(REPLICA, "registry")


def test_reads_inside_go_to_the_replica_and_writes_to_default(tree: Any) -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Person) is None  # outside: default
    with replica_reads():
        assert router.db_for_read(Person) == REPLICA
        assert router.db_for_write(Person) == "default"
        person = PersonFactory(region=tree.grid_a)  # a write inside still goes to default
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            assert Person.objects.filter(pk=person.pk).exists()
    assert _selects(on_replica, "registry_person")
    assert router.db_for_read(Person) is None


def test_the_dashboard_and_an_export_read_the_replica_a_page_reads_default(users: Any, tree: Any) -> None:
    PersonFactory(region=tree.grid_a, category=6, level=2)
    client = login(users.street_admin)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        assert client.get(reverse("reports:dashboard")).status_code == 200
    assert _selects(on_replica, "registry_person"), "the dashboard's figures come from the replica"
    assert not _selects(on_default, "registry_person")
    # the user, the session and the grants were read from the primary before the switch
    assert _selects(on_default, "accounts_user") and not _selects(on_replica, "django_session")

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("projects:project_export"))
    assert response.status_code == 200
    assert _selects(on_replica, "projects_project"), "an export reads the replica"

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        assert client.get(reverse("registry:person_list")).status_code == 200
    assert not on_replica.captured_queries, "a working page reads the primary"
    assert _selects(on_default, "registry_person")
