"""The access-event log is a hash chain: sealed in order, verified, append-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from wushe.core import auditchain
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.core.services import access_event_record


def _events(n: int, users: Any) -> list[AccessEvent]:
    return [
        access_event_record(kind=AccessEventKind.REVEAL, user=users.worker_a, detail={"field": "id", "i": i})
        for i in range(n)
    ]


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_seal_then_verify(users: Any) -> None:
    events = _events(5, users)
    assert auditchain.verify().unsealed == 5
    assert auditchain.seal() == 5
    rows = list(AccessEvent.objects.order_by("seq"))
    assert [e.pk for e in rows] == [e.pk for e in events]  # sealed in id order
    assert [e.seq for e in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == auditchain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    report = auditchain.verify()
    assert report.ok and report.checked == 5 and report.unsealed == 0 and report.head_hash == rows[-1].hash
    # events written later extend the chain
    _events(2, users)
    assert auditchain.seal() == 2
    assert auditchain.verify().checked == 7


def test_sealing_is_idempotent(users: Any) -> None:
    _events(3, users)
    auditchain.seal()
    before = list(AccessEvent.objects.order_by("id").values_list("seq", "prev_hash", "hash"))
    assert auditchain.seal() == 0
    call_command("audit_seal", stdout=_Sink())
    assert list(AccessEvent.objects.order_by("id").values_list("seq", "prev_hash", "hash")) == before


def test_a_changed_field_is_named(users: Any, capsys: Any) -> None:
    events = _events(4, users)
    auditchain.seal()
    _sql("UPDATE core_accessevent SET username = %s WHERE id = %s", ["someone_else", events[2].pk])
    report = auditchain.verify()
    assert not report.ok and report.broken is not None
    assert report.broken.event_id == events[2].pk
    assert report.broken.seq == 3
    assert "changed after sealing" in report.broken.problem
    assert report.checked == 2
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify", stdout=_Sink(), stderr=(err := _Sink()))
    assert exit_.value.code == 1
    assert f"event {events[2].pk}" in "".join(err.lines)


def test_a_changed_detail_breaks_the_chain(users: Any) -> None:
    events = _events(3, users)
    auditchain.seal()
    _sql(
        "UPDATE core_accessevent SET detail = %s WHERE id = %s", ['{"field": "phone", "i": 0}', events[0].pk]
    )
    broken = auditchain.verify().broken
    assert broken is not None and broken.event_id == events[0].pk


def test_a_deleted_event_is_named_as_a_gap(users: Any) -> None:
    events = _events(5, users)
    auditchain.seal()
    _sql("DELETE FROM core_accessevent WHERE id = %s", [events[1].pk])
    broken = auditchain.verify().broken
    assert broken is not None
    assert broken.event_id == events[2].pk and broken.seq == 3
    assert "seq 2–2 missing after event" in broken.problem and str(events[0].pk) in broken.problem


def test_a_forged_prev_hash_is_named(users: Any) -> None:
    events = _events(3, users)
    auditchain.seal()
    _sql("UPDATE core_accessevent SET prev_hash = %s WHERE id = %s", ["0" * 64, events[1].pk])
    broken = auditchain.verify().broken
    assert broken is not None and broken.event_id == events[1].pk


def test_events_are_append_only_except_the_seal(users: Any) -> None:
    (event,) = _events(1, users)
    with pytest.raises(ValueError, match="append-only"):
        AccessEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(ValueError, match="append-only"):
        AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ValueError, match="append-only"):
        AccessEvent._base_manager.filter(pk=event.pk).update(username="x")
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    auditchain.seal()
    sealed = AccessEvent.objects.get(pk=event.pk)
    # the seal is written once: a second seal of the same event changes nothing
    assert not AccessEvent.objects.seal(event.pk, seq=99, prev_hash="x", hash="y")
    assert AccessEvent.objects.get(pk=event.pk).hash == sealed.hash


def test_writers_only_insert(users: Any) -> None:
    """A writer takes no lock and reads nothing of the chain: one INSERT, so writers never queue
    behind each other; the sealer chains them afterwards."""
    from django.test.utils import CaptureQueriesContext

    _events(2, users)
    auditchain.seal()
    with CaptureQueriesContext(connection) as queries:
        event = access_event_record(kind=AccessEventKind.EXPORT, username="w1", detail={"i": 1})
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements == ["INSERT"], queries.captured_queries
    assert event.seq is None and event.hash == ""
    # several writers' events, unsealed, in any number: one seal run chains them all
    for n in range(10):
        with transaction.atomic():
            access_event_record(kind=AccessEventKind.EXPORT, username=f"w{n}")
    assert auditchain.seal() == 11
    report = auditchain.verify()
    assert report.ok and report.checked == 13


def test_sealing_is_enqueued_when_the_event_commits(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # (not a transactional test: flushing the database would drop the tags and colours the
    # migrations seed, which later tests on the same worker rely on)
    from django_tasks_db.models import DBTaskResult

    def queued() -> int:
        return DBTaskResult.objects.filter(task_path="wushe.core.tasks.seal_access_events").count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        access_event_record(kind=AccessEventKind.EXPORT, username="w")
        assert queued() == 0  # not before the commit
    assert len(callbacks) == 1
    assert queued() == 1
    from wushe.core.tasks import seal_access_events

    assert seal_access_events.call() == 1  # the task seals
    assert auditchain.verify().checked == 1


class _Sink:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        pass
