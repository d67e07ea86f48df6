"""Exports made in the background: an export over ``WUSHE_EXPORT_INLINE_ROWS`` rows is a job the
task worker writes by calling the export's view again as its requester. The workbook must be the
one the browser would have been given, sealed on disk, downloadable only by the requester while
they still hold the capability and the region, audited when made and when downloaded, refused
when the requester's rights went in between, and deleted when its time is up."""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import PersonFactory, UserFactory
from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.models import AccessEvent, AccessEventKind, ExportJob, ExportStatus
from wushe.core.sealed import MAGIC
from wushe.core.services import export_file_path, export_job_run, export_jobs_purge

from . import test_list_exports
from .test_list_exports import BY_URL, World

world = test_list_exports.world  # the list exports' world: records of every list, in and out of scope

pytestmark = pytest.mark.django_db

LEDGER = reverse("registry:ledger_export")
PERSONS = reverse("registry:person_export")


@pytest.fixture
def background(settings: Any, tmp_path: Path) -> Path:
    """Every export with a known size goes to the worker; its files under a fresh directory."""
    settings.WUSHE_EXPORT_INLINE_ROWS = 0
    settings.WUSHE_EXPORT_ROOT = tmp_path / "exports"
    return settings.WUSHE_EXPORT_ROOT


def _rows(data: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _job_of(response: Any) -> ExportJob:
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:detail", args=[job.pk])
    return job


def _download(client: Any, job: ExportJob) -> bytes:
    response = client.get(reverse("exports:file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


# every list's export in the slow tier (make test-slow, CI); the visits' (the largest) in the fast
EVERY_LIST = [
    pytest.param(url, marks=() if "visits" in url and "coverage" not in url else pytest.mark.slow)
    for url in sorted(BY_URL)
]


@pytest.mark.parametrize("url", EVERY_LIST)
def test_a_background_export_is_the_workbook_the_browser_would_get(
    url: str, world: World, users: Any, settings: Any, tmp_path: Path
) -> None:
    case = BY_URL[url]
    client = login(users.street_admin)
    params = case.params(world)
    inline = client.get(reverse(url), params)
    assert inline.status_code == 200
    expected = _rows(inline.getvalue())
    assert len(expected) > 2, "the export must hold records"

    settings.WUSHE_EXPORT_INLINE_ROWS = 0
    settings.WUSHE_EXPORT_ROOT = tmp_path / "exports"
    job = _job_of(client.get(reverse(url), params))
    assert job.status == ExportStatus.WAITING and job.total == len(expected) - 2
    assert job.requested_by == users.street_admin and job.export == case.export and job.method == "GET"
    page = client.get(reverse("exports:detail", args=[job.pk]))
    assert page.status_code == 200 and 'role="progressbar"' in page.content.decode()

    assert export_job_run(job.pk) == len(expected) - 2
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.percent == 100 and job.filename.endswith(".xlsx")
    assert _rows(_download(client, job)) == expected
    made = AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).exclude(detail__export_job=None)
    assert [e.detail.get("download", False) for e in made.order_by("id")] == [False, True]
    assert made.order_by("id").first().detail["filters"] == params  # type: ignore[union-attr]


def test_the_file_is_sealed_private_and_only_the_requesters(
    background: Path, users: Any, tree: Any, person_a: Any, person_b: Any
) -> None:
    client = login(users.street_admin)
    job = _job_of(
        client.post(LEDGER, {"region": tree.street.code, "reveal": "1", "csrfmiddlewaretoken": "x"})
    )
    assert (
        job.method == "POST"
        and job.reveal
        and "csrfmiddlewaretoken" not in job.form
        and "reveal=1" in job.form
    )
    export_job_run(job.pk)
    job.refresh_from_db()
    raw = export_file_path(job).read_bytes()
    assert raw.startswith(MAGIC) and b"PK\x03\x04" not in raw[:64]
    assert person_a.id_number.encode() not in raw
    assert export_file_path(job).stat().st_mode & 0o777 == 0o600
    assert background.stat().st_mode & 0o777 == 0o700
    rows = _rows(_download(client, job))
    assert {r[5] for r in rows[2:]} == {person_a.id_number, person_b.id_number}  # the POST's full numbers

    colleague = UserFactory(username="street2", role=Role.STREET_ADMIN, region=tree.street)
    for name in ("exports:detail", "exports:file"):
        assert login(colleague).get(reverse(name, args=[job.pk])).status_code == 404
        assert login(users.nobody).get(reverse(name, args=[job.pk])).status_code == 403
    assert job.title not in login(colleague).get(reverse("exports:list")).content.decode()
    assert job.title in client.get(reverse("exports:list")).content.decode()


def test_a_region_withdrawn_after_the_request_stops_the_export(
    background: Path, users: Any, tree: Any, person_a: Any
) -> None:
    worker = UserFactory(username="gridworker", role=Role.SOCIAL_WORKER, region=tree.community_a)
    client = login(worker)
    job = _job_of(client.get(PERSONS, {"region": tree.community_a.code}))
    RoleGrant.objects.filter(user=worker).update(region=tree.community_b)  # moved to 乙社区 meanwhile
    assert export_job_run(job.pk) == 0
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error and not job.file
    assert not AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).exists()
    assert client.get(reverse("exports:detail", args=[job.pk])).status_code == 404  # no longer its region


def test_a_capability_withdrawn_after_the_request_stops_the_export(
    background: Path, users: Any, tree: Any, person_a: Any
) -> None:
    client = login(users.street_admin)
    job = _job_of(client.get(LEDGER, {"region": tree.street.code}))
    RoleGrant.objects.filter(user=users.street_admin).update(role=Role.TEAM_LEADER)
    export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "权限" in job.error and not job.file


def test_a_deactivated_requester_gets_nothing(background: Path, users: Any, tree: Any, person_a: Any) -> None:
    job = _job_of(login(users.street_admin).get(LEDGER, {"region": tree.street.code}))
    type(users.street_admin).objects.filter(pk=users.street_admin.pk).update(is_active=False)
    export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file


def test_small_exports_are_still_written_at_once(settings: Any, users: Any, tree: Any, person_a: Any) -> None:
    settings.WUSHE_EXPORT_INLINE_ROWS = 1
    response = login(users.street_admin).get(LEDGER, {"region": tree.street.code})
    assert response.status_code == 200 and not ExportJob.objects.exists()
    PersonFactory(name="第二人", region=tree.grid_a, category=4, level=1)  # a second ledger row
    assert login(users.street_admin).get(LEDGER, {"region": tree.street.code}).status_code == 302


def test_files_past_their_time_are_deleted(
    background: Path, settings: Any, users: Any, tree: Any, person_a: Any
) -> None:
    client = login(users.street_admin)
    job = _job_of(client.get(LEDGER, {"region": tree.street.code}))
    export_job_run(job.pk)
    job.refresh_from_db()
    path = export_file_path(job)
    assert path.is_file() and export_jobs_purge() == 0
    stray = background / "999-cut-short.xlsx.sealed"
    stray.write_bytes(b"x")
    old = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(stray, (old, old))
    later = timezone.now() + datetime.timedelta(hours=settings.WUSHE_EXPORT_KEEP_HOURS, minutes=1)
    assert export_jobs_purge(now=later) == 2
    job.refresh_from_db()
    assert job.purged_at is not None and not path.exists() and not stray.exists()
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404
    assert "文件已删除" in client.get(reverse("exports:detail", args=[job.pk])).content.decode()


def test_a_task_delivered_twice_writes_once(background: Path, users: Any, tree: Any, person_a: Any) -> None:
    job = _job_of(login(users.street_admin).get(LEDGER, {"region": tree.street.code}))
    assert export_job_run(job.pk) == 1
    first = ExportJob.objects.get(pk=job.pk).file
    assert export_job_run(job.pk) == 1
    assert ExportJob.objects.get(pk=job.pk).file == first
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).count() == 1


def test_the_same_export_asked_again_while_it_is_made_is_one_job(
    background: Path, users: Any, tree: Any, person_a: Any
) -> None:
    client = login(users.street_admin)
    first = _job_of(client.get(LEDGER, {"region": tree.street.code}))
    again = client.get(LEDGER, {"region": tree.street.code})
    assert again["Location"] == reverse("exports:detail", args=[first.pk]) and ExportJob.objects.count() == 1
    other = client.get(LEDGER, {"region": tree.street.code, "colour": "red"})
    assert other.status_code == 302 and ExportJob.objects.count() == 2  # another filter: another export
    export_job_run(first.pk)
    client.get(LEDGER, {"region": tree.street.code})
    assert ExportJob.objects.count() == 3  # made already: asking again makes it again, as it is now


def test_an_export_the_worker_dropped_is_made_again_when_asked(
    background: Path, users: Any, tree: Any, person_a: Any
) -> None:
    client = login(users.street_admin)
    job = _job_of(client.get(LEDGER, {"region": tree.street.code}))
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, started_at=long_ago, progressed_at=long_ago
    )
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert 'data-testid="export-interrupted"' in page and 'http-equiv="refresh"' not in page
    again = client.get(LEDGER, {"region": tree.street.code})
    assert again.status_code == 302 and again["Location"] != reverse("exports:detail", args=[job.pk])
    assert ExportJob.objects.count() == 2


def test_a_drill_down_and_the_person_list_export_in_the_background(
    background: Path, settings: Any, users: Any, tree: Any, person_a: Any, person_b: Any
) -> None:
    client = login(users.street_admin)
    for url, params in (
        (reverse("reports:drill_export", args=["persons"]), {"region": tree.street.code}),
        (PERSONS, {"region": tree.street.code}),
    ):
        settings.WUSHE_EXPORT_INLINE_ROWS = 10_000
        inline = _rows(client.get(url, params).getvalue())
        assert len(inline) == 4  # title, header, 祝长连 and 李四
        settings.WUSHE_EXPORT_INLINE_ROWS = 0
        response = client.get(url, params)
        assert response.status_code == 302
        job = ExportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
        assert export_job_run(job.pk) == 2
        job.refresh_from_db()
        assert _rows(_download(client, job)) == inline


def test_a_damaged_or_missing_file_is_not_found_not_an_error(
    background: Path, users: Any, tree: Any, person_a: Any
) -> None:
    client = login(users.street_admin)
    job = _job_of(client.get(LEDGER, {"region": tree.street.code}))
    export_job_run(job.pk)
    job.refresh_from_db()
    path = export_file_path(job)
    raw = path.read_bytes()
    path.write_bytes(raw[:-20] + bytes(20))  # the last chunk's tag damaged
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404
    path.unlink()
    assert client.get(reverse("exports:file", args=[job.pk])).status_code == 404
