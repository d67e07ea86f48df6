"""Import job endpoints: the jobs in the caller's scope and the status of one (for a script
that uploaded through the page or ran ``import_ledger`` and waits for the commit to finish).

Scoped like the pages: the jobs of regions the caller sees, for users who may register persons.
No ``from __future__ import annotations`` (ninja resolves a ``@paginate``d view's annotations
in its own namespace; see wushe/registry/api.py).
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.pagination import LimitOffsetPagination

from .models import ImportJob, ImportStatus
from .selectors import get_job_for_user, job_list, job_waits_for_worker

router = Router(tags=["imports"])


class Counts(Schema):
    created: int
    updated: int
    unchanged: int
    rejected: int


class ImportJobOut(Schema):
    id: int
    file_name: str
    file_type: str
    sha256: str
    region: str
    region_name: str
    status: str
    status_label: str
    total_rows: int | None
    rows_done: int
    committed_through: int
    progress_percent: int
    counts: Counts
    dry_run: Counts | None
    message: str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    waiting_for_worker: bool = Field(
        description="The job's task has waited longer than WUSHE_TASK_STALE_SECONDS and no task "
        "worker picked it up (start manage.py db_worker)."
    )

    @staticmethod
    def resolve_waiting_for_worker(obj: ImportJob) -> bool:
        return job_waits_for_worker(obj)

    @staticmethod
    def resolve_file_name(obj: ImportJob) -> str:
        return obj.original_name

    @staticmethod
    def resolve_region(obj: ImportJob) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: ImportJob) -> str:
        return obj.region.name

    @staticmethod
    def resolve_status_label(obj: ImportJob) -> str:
        return str(ImportStatus(obj.status).label)

    @staticmethod
    def resolve_dry_run(obj: ImportJob) -> dict[str, int] | None:
        return obj.check_counts or None


class ErrorOut(Schema):
    detail: Any


def _require_manage(request: HttpRequest) -> None:
    if not request.user.has_perm(MANAGE_PERSONS):
        raise PermissionDenied("forbidden")


@router.get(
    "/imports",
    response={200: list[ImportJobOut], 403: ErrorOut, 422: ErrorOut},
    summary="Ledger import jobs in the caller's scope, newest first",
)
@paginate(LimitOffsetPagination)
def imports(request: HttpRequest) -> Any:
    _require_manage(request)
    return job_list(user=request.user)  # a queryset: the paginator counts and loads one page


@router.get(
    "/imports/{job_id}",
    response={200: ImportJobOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One import job: status, progress and counts",
)
def import_detail(request: HttpRequest, job_id: int) -> Any:
    _require_manage(request)
    return get_job_for_user(user=request.user, pk=job_id)
