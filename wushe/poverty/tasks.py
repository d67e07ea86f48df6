"""Background tasks (Django's Tasks API; ``manage.py db_worker`` runs them): the early-warning
rules (daily through ``manage.py poverty_warnings``, or on demand) and the booklet batches."""

from __future__ import annotations

import datetime

from django_tasks import task


@task()
def run_early_warning(on: str = "", requested_by: int | None = None) -> int:
    """Run the early-warning rules as of ``on`` (ISO date; today by default); the new warnings."""
    from wushe.accounts.models import User

    from .services import early_warning_run

    user = User.objects.filter(pk=requested_by).first() if requested_by else None
    day = datetime.date.fromisoformat(on) if on else None
    return early_warning_run(on=day, requested_by=user).raised


@task()
def make_booklet_batch(batch_id: int) -> int:
    """Make one booklet batch's PDF."""
    from .services import booklet_batch_run

    return booklet_batch_run(batch_id)
