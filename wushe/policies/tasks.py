"""Background tasks (Django's Tasks API; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task

from .services import run_execute


@task()
def find_people(run_id: int) -> int:
    """政策找人: evaluate the run's policies over the registry and store who qualifies."""
    run = run_execute(run_id=run_id)
    return int(run.pk)
