"""One seeded copy of the demo streets for every test marked ``demo`` in a run.

Seeding the demo is the slowest thing the suite does, so it is done once: the first ``demo`` test
opens a transaction and seeds into it; each ``demo`` test then reads (and may write) inside a
savepoint rolled back at its end; after the last ``demo`` test of the block (the root conftest
runs them first and one after another, under xdist on one worker) the transaction is rolled back,
and the tests that follow find the database as it was. Were the block ever split, the next
``demo`` test would simply seed again.

The ``demo`` tests take the ``demo`` fixture, not ``django_db``: the seeding transaction has to be
opened before each test's own, which pytest-django would otherwise open first.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.conf import global_settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pytest_django.plugin import blocking_manager_key


class _Seeded:
    """The open transaction holding the seeded demo, and what ``seed_demo`` printed."""

    atomic: Any = None
    output: str = ""
    seeds: int = 0

    def open(self) -> None:
        if self.atomic is None:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            out = StringIO()
            # the demo logins' password hashed as in a real seed, not with the suite's fast hasher
            with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
                call_command("seed_demo", stdout=out)
            self.output = out.getvalue()
            self.seeds += 1

    def close(self) -> None:
        if self.atomic is not None:
            transaction.set_rollback(True)
            atomic, self.atomic = self.atomic, None
            atomic.__exit__(None, None, None)


SEEDED = _Seeded()


@pytest.fixture(scope="session")
def _demo_database(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[None]:
    """The test database, also when only ``demo`` tests run: pytest-django creates the databases
    the collected tests name (``django_db`` or the ``db`` fixture), and the ``demo`` tests name
    none of them — run alone, they would otherwise reach the development database."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, _serialized = _get_databases_for_setup(request.session.items)
    if "default" in aliases:
        yield
        return
    with django_db_blocker.unblock():
        # Django takes any collection of aliases; its stubs say a mapping
        created = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=0)


@pytest.fixture
def demo(_demo_database: None, django_db_blocker: Any) -> Iterator[str]:
    """The demo streets, seeded once for the block of ``demo`` tests; this test's writes are
    rolled back at its end. Gives what ``seed_demo`` printed (the logins)."""
    with django_db_blocker.unblock():
        SEEDED.open()
        with transaction.atomic():
            yield SEEDED.output
            transaction.set_rollback(True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    result = yield
    if nextitem is None or nextitem.get_closest_marker("demo") is None:
        with item.config.stash[blocking_manager_key].unblock():
            SEEDED.close()
    return result
