"""Reads for figures and exports from a PostgreSQL read replica (``DATABASE_REPLICA_URL``).

A county or city deployment puts its dashboards, drill-downs, the work report and the Excel
exports — long reads over many rows — on a streaming replica, so they do not compete with the
workers' writes on the primary. Everything else reads and writes the primary: a page that just
saved a record must read it back, and a replica lags by a fraction of a second.

- ``DATABASE_REPLICA_URL`` set: settings add the database alias ``replica`` and install
  :class:`ReplicaRouter`. Unset (one machine, SQLite, the tests): nothing changes.
- A view opts in with :func:`reads_from_replica`; inside it (and only there) every read goes to
  ``replica``; writes (an export's access event, a task queued) still go to ``default``.
- The user is loaded before the switch (sessions, grants and two-factor state are read from the
  primary), so a grant revoked a moment ago is not seen as still held; the scoped querysets of
  the figures themselves then read the replica (a record saved in the last second may be missing
  from a figure; the next refresh shows it).

Migrations run on ``default`` only: the replica copies them by replication.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections

REPLICA = "replica"

_reading = contextvars.ContextVar("wushe_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (else to ``default`` as always)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose reads may lag a little: figures, drill-downs, reports, exports. Goes inside
    the permission decorators (they check the user on the primary first)."""

    @functools.wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        user = getattr(request, "user", None)
        if user is not None:
            getattr(user, "pk", None)  # load the lazy user from the primary before switching
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Django database router: reads inside :func:`replica_reads` go to ``replica``."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading.get() and replica_configured():
            return REPLICA
        return None  # the default database

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both aliases

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"
