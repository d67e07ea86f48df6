"""The scoped reads of ledger imports: a user sees the jobs of the regions in scope and nothing
else; the notable rows of a job by phase and outcome; a row shown with its ID number masked;
stale jobs; the unfinished job the command line resumes."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from wushe.core.taskstate import stale_after
from wushe.imports import selectors
from wushe.imports.models import ImportJob, ImportRow, ImportStatus, RowOutcome, RowPhase

pytestmark = pytest.mark.django_db

MAPPING = ["name", "id_number", "phone"]


def job(region: Any, user: Any, *, sha: str = "a" * 64, **kw: Any) -> ImportJob:
    return ImportJob.objects.create(
        region=region, created_by=user, original_name="台账.xlsx", file_type="xlsx", sha256=sha,
        mapping=MAPPING, as_of=timezone.now(), **kw,
    )  # fmt: skip


def row(j: ImportJob, number: int, outcome: str, cells: list[Any], phase: str = RowPhase.CHECK) -> ImportRow:
    return ImportRow.objects.create(
        job=j, phase=phase, row_number=number, outcome=outcome, values=json.dumps(cells), message="原因"
    )


def test_job_list_keeps_each_user_to_their_scope(tree: Any, users: Any) -> None:
    a = job(tree.community_a, users.worker_a)
    b = job(tree.community_b, users.worker_b)
    street = job(tree.street, users.street_admin)
    c = job(tree.community_c, users.admin)
    assert [j.pk for j in selectors.job_list(user=users.street_admin)] == [street.pk, b.pk, a.pk]  # newest
    assert [j.pk for j in selectors.job_list(user=users.worker_a)] == [a.pk]
    assert [j.pk for j in selectors.job_list(user=users.admin)] == [c.pk, street.pk, b.pk, a.pk]
    assert list(selectors.job_list(user=users.nobody)) == []
    assert selectors.get_job_for_user(user=users.worker_a, pk=a.pk) == a
    for pk in (b.pk, street.pk, c.pk):  # a sibling's, the street's above, another street's
        with pytest.raises(Http404):
            selectors.get_job_for_user(user=users.worker_a, pk=pk)


def test_job_rows_by_phase_and_outcome_in_row_order(tree: Any, users: Any) -> None:
    j = job(tree.community_a, users.worker_a)
    later = row(j, 9, RowOutcome.REJECTED, ["甲", "", ""])
    first = row(j, 3, RowOutcome.REJECTED, ["乙", "", ""])
    row(j, 4, RowOutcome.UPDATED, ["丙", "", ""])
    row(j, 5, RowOutcome.REJECTED, ["丁", "", ""], phase=RowPhase.COMMIT)
    rejected = selectors.job_rows(job=j, phase=RowPhase.CHECK, outcome=RowOutcome.REJECTED)
    assert [r.pk for r in rejected] == [first.pk, later.pk]
    assert selectors.job_rows(job=j, phase=RowPhase.COMMIT, outcome=RowOutcome.UPDATED).count() == 0


def test_job_phase_is_the_commits_once_it_has_started(tree: Any, users: Any) -> None:
    j = job(tree.community_a, users.worker_a, status=ImportStatus.CHECKED)
    assert selectors.job_phase(j) == RowPhase.CHECK
    j.committed_through = 50
    assert selectors.job_phase(j) == RowPhase.COMMIT  # a failed commit keeps its rows
    for status in (ImportStatus.RUNNING, ImportStatus.DONE):
        assert selectors.job_phase(job(tree.community_a, users.worker_a, status=status)) == RowPhase.COMMIT


def test_a_row_is_shown_with_its_id_number_masked(tree: Any, users: Any) -> None:
    j = job(tree.community_a, users.worker_a)
    shown = selectors.row_display(j, row(j, 7, RowOutcome.REJECTED, ["祝长连" * 10, "37160219800101002x", 1]))
    assert shown["number"] == 7 and shown["outcome"] == RowOutcome.REJECTED and shown["message"] == "原因"
    assert shown["name"] == ("祝长连" * 10)[:20]
    assert shown["id"].startswith("371602") and "19800101" not in shown["id"] and shown["id"] != ""
    assert (
        selectors.row_display(j, row(j, 8, RowOutcome.REJECTED, ["张三", "ABC123456789"]))["id"] == "ABC123…"
    )
    assert selectors.row_display(j, row(j, 9, RowOutcome.REJECTED, ["张三"]))["id"] == ""  # no cell
    broken = ImportRow(job=j, phase=RowPhase.CHECK, row_number=10, outcome=RowOutcome.REJECTED, values="{")
    assert selectors.row_display(j, broken)["name"] == ""


def test_a_job_without_progress_for_a_while_is_stale(tree: Any, users: Any) -> None:
    now = timezone.now()
    old = now - stale_after() - datetime.timedelta(seconds=5)
    running = job(tree.community_a, users.worker_a, status=ImportStatus.RUNNING, heartbeat_at=now)
    assert not selectors.job_is_stale(running)
    running.heartbeat_at = old
    assert selectors.job_is_stale(running)
    for status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CHECKED, ImportStatus.UPLOADED):
        assert not selectors.job_is_stale(
            job(tree.community_a, users.worker_a, status=status, heartbeat_at=old)
        )
    queued = job(tree.community_a, users.worker_a, status=ImportStatus.QUEUED)  # no heartbeat yet
    ImportJob.objects.filter(pk=queued.pk).update(created_at=old)
    queued.refresh_from_db()
    assert selectors.job_is_stale(queued)


def test_the_unfinished_job_is_the_latest_of_the_same_file_region_and_user(tree: Any, users: Any) -> None:
    def unfinished(sha: str = "a" * 64, region: Any = tree.community_a, user: Any = users.worker_a) -> Any:
        return selectors.unfinished_job(sha256=sha, region=region, user=user)

    job(tree.community_a, users.worker_a, status=ImportStatus.FAILED, committed_through=0)  # nothing kept
    job(tree.community_a, users.worker_a, status=ImportStatus.DONE, committed_through=90)  # finished
    assert unfinished() is None
    older = job(tree.community_a, users.worker_a, status=ImportStatus.FAILED, committed_through=10)
    newer = job(tree.community_a, users.worker_a, status=ImportStatus.RUNNING, committed_through=20)
    ImportJob.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    assert unfinished() == newer
    assert unfinished(sha="b" * 64) is None
    assert unfinished(region=tree.community_b) is None
    assert unfinished(user=users.street_admin) is None
