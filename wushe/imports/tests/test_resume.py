"""A commit killed in the middle of a batch resumes to exactly the uninterrupted result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.imports import engine
from wushe.imports.models import ImportJob, ImportRow, ImportStatus, RowPhase
from wushe.imports.services import job_create
from wushe.registry.models import Person

from .ledgers import ident, write_xlsx
from .test_engine import _registry

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号码", "联系电话", "社区", "残疾类别", "残疾等级", "人员类别"]


def _rows() -> list[list[Any]]:
    """40 rows; people who appear twice straddle the crash, identical (merged) or contradicting."""
    rows: list[list[Any]] = []
    for n in range(40):
        rows.append([f"居民{n}", ident(100 + n), f"139{n:08d}", "甲社区" if n % 2 else "乙社区", "", "", ""])
        if n % 5 == 0:
            rows[-1][4:7] = ["精神", "二级", "低保、特困"]
    rows[3][1] = "37010219800503123"  # too short: rejected
    rows[31] = list(rows[2])  # row 2's person again, identical: merged
    rows[36] = [*rows[6][:2], "13700000000", *rows[6][3:]]  # row 6's person, another phone: both rejected
    rows[22] = ["", ident(300), "", "甲社区", "", "", ""]  # no name
    return rows


def _upload(path: Path, users: Any, tree: Any) -> ImportJob:
    with path.open("rb") as fh:
        return job_create(acting_user=users.street_admin, region=tree.street, fileobj=fh, name=path.name)


def _outcomes(job: ImportJob) -> list[tuple[int, str, str]]:
    return sorted(
        ImportRow.objects.filter(job=job, phase=RowPhase.COMMIT).values_list(
            "row_number", "outcome", "message"
        )
    )


class Killed(Exception):
    pass


@pytest.mark.parametrize("crash_at", [1, 3, 5, 8])
def test_killed_commit_resumes_to_the_same_result(
    tree: Any, users: Any, tmp_path: Path, crash_at: int
) -> None:
    path = write_xlsx(
        tmp_path / "l.xlsx", _rows(), header=HEADER, title=True, notes=True, two_row_header=False
    )

    whole = _upload(path, users, tree)
    expected_counts = engine.commit(whole, batch_size=5).as_dict()
    expected_registry = _registry()
    expected_rows = _outcomes(whole)
    assert expected_counts == {"created": 35, "updated": 0, "unchanged": 1, "rejected": 4}
    Person.objects.all().delete()

    job = _upload(path, users, tree)

    def kill(job: ImportJob, batch: int) -> None:
        if batch == crash_at:  # the batch's registry rows are written, its transaction not committed
            raise Killed

    engine.run.after_batch_written = kill
    with pytest.raises(Killed):
        engine.commit(job, batch_size=5)
    engine.run.after_batch_written = None
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING  # as after kill -9: nothing marked it
    # exactly the batches before the crash are in the database, nothing of the one it hit
    assert job.committed_through == (0 if crash_at == 1 else 4 + 5 * (crash_at - 1))
    assert Person.objects.count() == job.created

    counts = engine.commit(job, batch_size=5)  # resume
    assert counts.as_dict() == expected_counts
    assert _registry() == expected_registry
    assert [(n, o, m.replace(f"#{whole.pk}", "#")) for n, o, m in _outcomes(job)] == [
        (n, o, m.replace(f"#{whole.pk}", "#")) for n, o, m in expected_rows
    ]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.rows_done == job.total_rows == 40


def test_resume_with_another_batch_size(tree: Any, users: Any, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "m.xlsx", _rows(), header=HEADER, title=False, notes=False, two_row_header=False
    )
    job = _upload(path, users, tree)

    def kill(job: ImportJob, batch: int) -> None:
        if batch == 2:
            raise Killed

    engine.run.after_batch_written = kill
    with pytest.raises(Killed):
        engine.commit(job, batch_size=7)
    engine.run.after_batch_written = None
    assert engine.commit(job, batch_size=3).as_dict() == {
        "created": 35,
        "updated": 0,
        "unchanged": 1,
        "rejected": 4,
    }


def test_two_processes_cannot_commit_one_job(tree: Any, users: Any, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "n.xlsx", _rows(), header=HEADER, title=False, notes=False, two_row_header=False
    )
    job = _upload(path, users, tree)

    def meddle(job: ImportJob, batch: int) -> None:
        if batch == 2:  # another process committed a batch meanwhile
            ImportJob.objects.filter(pk=job.pk).update(committed_through=999)

    engine.run.after_batch_written = meddle
    with pytest.raises(engine.ImportConflict):
        engine.commit(job, batch_size=5)


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_process_gives_the_same_result(
    tree: Any, users: Any, tmp_path: Path, settings: Any, monkeypatch: Any, workers: int
) -> None:
    """Rows checked in forked worker processes: the same counts, rows and registry as in-process
    (with two workers, dealt out in chunks of four rows)."""
    monkeypatch.setattr(engine.checking, "_CHUNK", 4)
    path = write_xlsx(
        tmp_path / "w.xlsx", _rows(), header=HEADER, title=True, notes=True, two_row_header=False
    )
    settings.WUSHE_IMPORT_WORKERS = 0
    alone = _upload(path, users, tree)
    expected = engine.commit(alone, batch_size=7).as_dict()
    expected_registry, expected_rows = _registry(), _outcomes(alone)
    Person.objects.all().delete()

    settings.WUSHE_IMPORT_WORKERS = workers
    job = _upload(path, users, tree)
    assert engine.check(job, batch_size=7).as_dict() == expected

    def kill(job: ImportJob, batch: int) -> None:
        if batch == 3:
            raise Killed

    engine.run.after_batch_written = kill
    with pytest.raises(Killed):
        engine.commit(job, batch_size=7)
    engine.run.after_batch_written = None
    assert engine.commit(job, batch_size=7).as_dict() == expected  # resumed, still with the worker
    assert _registry() == expected_registry
    strip = lambda rows, pk: [(n, o, m.replace(f"#{pk}", "#")) for n, o, m in rows]  # noqa: E731
    assert strip(_outcomes(job), job.pk) == strip(expected_rows, alone.pk)
