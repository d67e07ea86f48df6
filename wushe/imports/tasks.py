"""Background tasks (Django's Tasks API; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django_tasks import task

from .engine import check, commit, fail
from .engine.batches import Counts
from .models import ImportJob

logger = logging.getLogger(__name__)


def _run(job_id: int, fn: Callable[[ImportJob], Counts]) -> dict[str, int]:
    job = ImportJob.objects.select_related("region", "created_by").get(pk=job_id)
    try:
        return fn(job).as_dict()
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        fail(job, str(exc) or exc.__class__.__name__)
        raise


@task()
def check_job(job_id: int) -> dict[str, int]:
    """The dry run of an import job."""
    return _run(job_id, check)


@task()
def commit_job(job_id: int) -> dict[str, int]:
    """The commit of an import job (resumes after the last committed batch)."""
    return _run(job_id, commit)
