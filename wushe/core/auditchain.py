"""The access-event log as a hash chain: sealing and verifying.

Writers only insert (``services.access_event_record``) — nobody queues on a lock to learn the
previous hash. :func:`seal` then takes the unsealed events in id order and gives each the next
``seq``, the previous event's hash as ``prev_hash`` and ``hash = sha256(prev_hash + canonical
JSON of the event)``. It runs as a background task enqueued when an event's transaction commits
(``core.tasks.seal_access_events``) and from ``manage.py audit_seal``; it is idempotent, and two
sealers at once cannot both seal: ``seq`` is unique and an event is sealed only while unsealed.

:func:`verify` walks the chain by ``seq`` and reports the first broken link: an event whose fields
no longer give its hash, a ``prev_hash`` that is not the previous hash, or a missing ``seq`` (an
event deleted). Deleting the newest sealed events leaves no gap inside the chain: keep the head
(``manage.py audit_verify`` prints it) somewhere else — a printed report, a second system — to
catch that too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from .models import AccessEvent

logger = logging.getLogger(__name__)

GENESIS = ""  # the first event's prev_hash
FIELDS = ("id", "seq", "at", "user_id", "username", "kind", "object_type", "object_id", "detail", "ip")


def canonical(event: AccessEvent) -> str:
    """The event's sealed fields as JSON with sorted keys and UTC time."""
    data: dict[str, Any] = {f: getattr(event, f) for f in FIELDS}
    data["at"] = event.at.astimezone(datetime.UTC).isoformat()
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def event_hash(prev_hash: str, event: AccessEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode()).hexdigest()


def _head() -> tuple[int, str]:
    last = AccessEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    if last is None:
        return 0, GENESIS
    seq, hash_ = last
    assert seq is not None  # filtered on seq__isnull=False
    return seq, hash_


def seal(*, batch_size: int = 1000) -> int:
    """Seal every unsealed event in id order; returns how many were sealed."""
    sealed = 0
    while True:
        try:
            with transaction.atomic():
                batch = list(AccessEvent.objects.filter(seq__isnull=True).order_by("id")[:batch_size])
                if not batch:
                    return sealed
                seq, prev = _head()
                for event in batch:
                    seq += 1
                    event.seq = seq
                    digest = event_hash(prev, event)
                    if not AccessEvent.objects.seal(event.pk, seq=seq, prev_hash=prev, hash=digest):
                        raise IntegrityError("event sealed by another sealer")
                    prev = digest
                sealed += len(batch)
        except IntegrityError:  # another sealer ran at the same time: it has done (part of) the work
            logger.info("access-event sealing raced another sealer; stopping this run")
            return sealed


def seal_soon() -> None:
    """Enqueue a sealing run (called when an event's transaction commits). A failure to enqueue
    only delays sealing until the next event or ``manage.py audit_seal``."""
    from .tasks import seal_access_events

    try:
        seal_access_events.enqueue()
    except Exception:
        logger.exception("could not enqueue access-event sealing")


@dataclass(frozen=True)
class Break:
    event_id: int | None
    at: Any
    seq: int
    problem: str

    def __str__(self) -> str:
        where = (
            f"event {self.event_id} ({self.at:%Y-%m-%d %H:%M:%S%z})" if self.event_id else f"seq {self.seq}"
        )
        return f"chain broken at {where}, seq {self.seq}: {self.problem}"


@dataclass(frozen=True)
class Report:
    checked: int
    unsealed: int
    head_seq: int
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _by_seq(batch_size: int) -> Iterator[AccessEvent]:
    last = 0
    while True:
        batch = list(AccessEvent.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last = batch[-1].seq or 0


def verify(*, batch_size: int = 2000) -> Report:
    """Walk the sealed chain; stop at the first broken link."""
    expected_seq, prev, checked = 1, GENESIS, 0
    previous: AccessEvent | None = None
    broken: Break | None = None
    for event in _by_seq(batch_size):
        seq = event.seq or 0
        if seq != expected_seq:
            after = f"after event {previous.pk}" if previous else "at the start"
            broken = Break(
                event.pk, event.at, seq, f"seq {expected_seq}–{seq - 1} missing {after} (events deleted)"
            )
            break
        if event.prev_hash != prev:
            broken = Break(event.pk, event.at, seq, "prev_hash is not the previous event's hash")
            break
        if event_hash(prev, event) != event.hash:
            broken = Break(
                event.pk,
                event.at,
                seq,
                f"its fields ({', '.join(FIELDS)}) no longer give its hash: stored {event.hash[:12]}…, "
                f"computed {event_hash(prev, event)[:12]}… (changed after sealing)",
            )
            break
        prev, previous, expected_seq = event.hash, event, expected_seq + 1
        checked += 1
    unsealed = AccessEvent.objects.filter(seq__isnull=True).count()
    return Report(checked, unsealed, expected_seq - 1, prev, broken)
