"""The user's own imports on the home page: checked and waiting for the go-ahead, then finished
(or failed) in the last days — never a colleague's, never another street's."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import next_id_number
from tests.home_support import applies, todo
from wushe.imports.models import ImportJob, ImportStatus
from wushe.imports.services import job_check_start, job_commit_start, job_create

pytestmark = pytest.mark.django_db


def _job(user: Any, region: Any, name: str) -> ImportJob:
    body = f"姓名,身份证号,联系电话\n导入测试,{next_id_number()},13800000000\n".encode()
    return job_create(acting_user=user, region=region, fileobj=io.BytesIO(body), name=name)


def test_the_users_imports_checked_finished_or_failed(
    tree: Any, users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mine = _job(users.worker_a, tree.grid_a, "甲社区台账.csv")
    _job(users.street_admin, tree.grid_a, "同事的台账.csv")
    assert todo(users.worker_a, "imports.recent").count == 0  # uploaded: the user is on its page
    with django_capture_on_commit_callbacks(execute=True):
        job_check_start(acting_user=users.worker_a, job=mine)
    mine.refresh_from_db()
    assert mine.status == ImportStatus.CHECKED
    item = todo(users.worker_a, "imports.recent")
    assert item.count == 1 and item.first[0].url == f"/imports/{mine.pk}/"
    assert item.first[0].label.startswith("甲社区台账.csv")
    with django_capture_on_commit_callbacks(execute=True):
        job_commit_start(acting_user=users.worker_a, job=mine)
    mine.refresh_from_db()
    assert mine.status == ImportStatus.DONE
    item = todo(users.worker_a, "imports.recent")
    assert item.count == 1 and "已完成" in item.first[0].label
    assert todo(users.street_admin, "imports.recent").count == 0  # a colleague's import is not mine
    assert not applies(users.leader, "imports.recent")


def test_an_import_finished_long_ago_drops_off(
    tree: Any, users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _job(users.worker_a, tree.grid_a, "旧台账.csv")
    with django_capture_on_commit_callbacks(execute=True):
        job_check_start(acting_user=users.worker_a, job=job)
    with django_capture_on_commit_callbacks(execute=True):
        job_commit_start(acting_user=users.worker_a, job=job)
    # finished ten days ago (the clock moved on)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=10))
    assert todo(users.worker_a, "imports.recent").count == 0
