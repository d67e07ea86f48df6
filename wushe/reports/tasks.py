"""Background tasks of the reports app (Django's Tasks API; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_figures(snapshot_id: int) -> bool:
    """Count a stored dashboard's figures again (``reports.services.figures_refresh``)."""
    from .services import figures_refresh

    return figures_refresh(snapshot_id)
