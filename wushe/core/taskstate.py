"""What the task backend knows about a background task, for the pages that wait on one.

A task enqueued while no worker runs (``manage.py db_worker`` not started) stays *ready*
forever; :func:`waiting_for_worker` tells such a task apart from one a worker is running, so a
page can say that the worker is missing instead of showing 0% for ever. How long a task may
wait, or go without progress, before a page says so is ``WUSHE_TASK_STALE_SECONDS``.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

logger = logging.getLogger(__name__)


def stale_after() -> datetime.timedelta:
    """How long a task may wait for a worker, or run without progress, before a page says so."""
    return datetime.timedelta(seconds=int(settings.WUSHE_TASK_STALE_SECONDS))


def waiting_for_worker(task_id: str) -> bool:
    """True when the backend holds the task as enqueued and not yet picked up by any worker.
    ``False`` when it runs or ran, when there is no id (a job run by the command line), and when
    the backend keeps no results (the immediate backend ran it already)."""
    if not task_id:
        return False
    try:
        result = default_task_backend.get_result(task_id)
    except NotImplementedError:
        return False
    except Exception:  # an unknown or malformed id, a result pruned: nothing is waiting
        logger.debug("no task result for %s", task_id, exc_info=True)
        return False
    return bool(result.status == TaskResultStatus.READY)
