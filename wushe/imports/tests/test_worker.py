"""An import under the database task queue, as ``make run`` runs it: the page waits for the
worker, says so in words when the worker does not come, and the worker (``db_worker``) finishes
the dry run and the commit."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from wushe.accounts.services import api_token_issue
from wushe.imports.models import ImportJob, ImportStatus
from wushe.imports.selectors import job_waits_for_worker
from wushe.imports.services import job_check_start, job_commit_start, job_create, job_set_mapping
from wushe.registry.models import Person

from .ledgers import ident

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = "这项任务已等待后台处理超过"


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WUSHE_TASK_STALE_SECONDS = 120


def _job(tree: Any, user: Any) -> ImportJob:
    body = "姓名,身份证号,所属社区\n" + "".join(f"居民{n},{ident(700 + n)},甲社区\n" for n in range(3))
    job = job_create(acting_user=user, region=tree.street, fileobj=io.BytesIO(body.encode()), name="台账.csv")
    return job_set_mapping(acting_user=user, job=job, mapping=job.mapping)


def _age(job: ImportJob, minutes: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_the_worker_runs_the_dry_run_and_the_commit(queue: Any, tree: Any, users: Any) -> None:
    admin = users.street_admin
    job = job_check_start(acting_user=admin, job=_job(tree, admin))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKING and job.task_id  # queued, nothing ran it yet
    assert not job_waits_for_worker(job)  # not yet long enough to say so

    client = login(admin)
    detail = reverse("imports:job_detail", args=[job.pk])
    page = client.get(detail).content.decode()
    assert "正在检查" in page and WAITING not in page

    _age(job, 3)  # past WUSHE_TASK_STALE_SECONDS with no worker
    job.refresh_from_db()
    assert job_waits_for_worker(job)
    page = client.get(detail).content.decode()
    assert WAITING in page and "manage.py db_worker" in page and "hx-get" in page  # still polling
    assert "后台处理已中断" not in page and "继续导入" not in page
    progress = client.get(reverse("imports:job_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert WAITING in progress.content.decode() and "HX-Refresh" not in progress  # no reload loop
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=admin)}")
    assert api.get(f"/api/v1/imports/{job.pk}").json()["waiting_for_worker"] is True

    call_command("db_worker", batch=True, interval=0)  # the worker comes: runs what is queued, stops
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.check_counts["created"] == 3
    assert not job_waits_for_worker(job)
    assert api.get(f"/api/v1/imports/{job.pk}").json()["waiting_for_worker"] is False

    job_commit_start(acting_user=admin, job=job)
    assert Person.objects.count() == 0
    call_command("db_worker", batch=True, interval=0)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.count() == 3
    page = client.get(detail).content.decode()
    assert "导入结果" in page and WAITING not in page


def test_a_job_the_worker_started_is_not_waiting_for_it(queue: Any, tree: Any, users: Any) -> None:
    """A stale job whose task a worker picked up (and whose process then died) is interrupted,
    not waiting: the page offers to go on."""
    admin = users.street_admin
    job = job_check_start(acting_user=admin, job=_job(tree, admin))
    job.refresh_from_db()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    _age(job, 10)
    job.refresh_from_db()
    assert not job_waits_for_worker(job)
    page = login(admin).get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert WAITING not in page


def test_the_threshold_is_a_setting(queue: Any, settings: Any, tree: Any, users: Any) -> None:
    admin = users.street_admin
    job = job_check_start(acting_user=admin, job=_job(tree, admin))
    _age(job, 3)
    job.refresh_from_db()
    settings.WUSHE_TASK_STALE_SECONDS = 600
    assert not job_waits_for_worker(job)
    settings.WUSHE_TASK_STALE_SECONDS = 60
    assert job_waits_for_worker(job)
    page = login(admin).get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "超过 1 分钟" in page
