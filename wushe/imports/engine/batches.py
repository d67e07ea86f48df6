"""What a run counts and writes per batch: the counts, a batch of decisions, a notable row."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .. import reading
from ..models import ImportJob, ImportRow, RowOutcome
from .decide import Decision

BATCH_SIZE = 2000


class ImportConflict(Exception):
    """Another process is committing the same job."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


def row_record(job: ImportJob, phase: str, decision: Decision) -> ImportRow:
    outcome = RowOutcome.DUPLICATE if decision.outcome == "duplicate" else decision.outcome
    return ImportRow(
        job=job,
        phase=phase,
        row_number=decision.row.number,
        outcome=outcome,
        values=json.dumps([reading.cell_text(c) for c in decision.row.cells], ensure_ascii=False),
        message=decision.message or decision.row.reason,
    )


@dataclass
class Batch:
    decisions: list[Decision] = field(default_factory=list)
    last_row: int = 0
    rows: int = 0

    def counts(self) -> Counts:
        c = Counts()
        for d in self.decisions:
            if d.outcome == "created":
                c.created += 1
            elif d.outcome == "updated":
                c.updated += 1
            elif d.outcome in ("unchanged", "duplicate"):
                c.unchanged += 1
            elif d.outcome == "rejected":
                c.rejected += 1
        return c
