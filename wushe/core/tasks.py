"""Background tasks of the core app (Django's Tasks API; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task

from . import auditchain


@task()
def seal_access_events() -> int:
    """Seal the access events written since the last run (see :mod:`wushe.core.auditchain`)."""
    return auditchain.seal()


@task()
def make_export(job_id: int) -> int:
    """Write one large export (``core.services.export_job_run``); its rows."""
    from .services import export_job_run

    return export_job_run(job_id)
