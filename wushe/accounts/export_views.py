"""The user's own exports made in the background (``core.exports``: an export of more than
``WUSHE_EXPORT_INLINE_ROWS`` rows is written by the task worker): the list, one export's progress
and its workbook. Each user sees only their own exports, and only while holding the capability to
export and the region the export was made for (``core.selectors.get_export_job_for_user``);
a download is an access event of its own."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from wushe.core.exports import XLSX
from wushe.core.models import AccessEventKind, ExportStatus
from wushe.core.permissions import page_permission
from wushe.core.sealed import SealedFileError, open_sealed
from wushe.core.selectors import export_jobs_for, get_export_job_for_user
from wushe.core.services import EXPORT_FILE_PURPOSE, access_event_record, export_file_path
from wushe.core.taskstate import stale_after, waiting_for_worker

from .roles import EXPORT_LEDGER


@page_permission(EXPORT_LEDGER)
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    jobs = list(export_jobs_for(user=request.user)[:50])
    return render(
        request, "accounts/export_list.html", {"jobs": jobs, "keep_hours": settings.WUSHE_EXPORT_KEEP_HOURS}
    )


@page_permission(EXPORT_LEDGER)
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_export_job_for_user(user=request.user, pk=pk)
    interrupted = job.interrupted(stale=stale_after(), now=timezone.now())
    context = {
        "job": job,
        "interrupted": interrupted,
        "running": job.status in (ExportStatus.WAITING, ExportStatus.RUNNING) and not interrupted,
        "waiting": job.status == ExportStatus.WAITING and waiting_for_worker(job.task_id),
    }
    return render(request, "accounts/export_detail.html", context)


@page_permission(EXPORT_LEDGER)
@require_GET
def export_file(request: HttpRequest, pk: int) -> FileResponse:
    job = get_export_job_for_user(user=request.user, pk=pk)
    if not job.ready:
        raise Http404
    try:
        handle = open_sealed(export_file_path(job), purpose=EXPORT_FILE_PURPOSE)
        handle.peek(1)  # the first chunk opened now: a damaged file is not found, not a cut download
    except (FileNotFoundError, SealedFileError):
        raise Http404 from None
    access_event_record(
        kind=AccessEventKind.EXPORT,
        user=request.user,
        request=request,
        obj=job,
        detail={
            "export": job.export,
            "export_job": job.pk,
            "download": True,
            "rows": job.done,
            "revealed": job.reveal,
        },
    )
    response = FileResponse(
        handle, as_attachment=True, filename=job.filename or "export.xlsx", content_type=XLSX
    )
    response["Cache-Control"] = "private, no-store"
    return response
