"""The import pages: upload → confirm the columns → dry run → commit with a progress bar → report.

Every page needs login, ``registry.manage_person`` and the job's region in the user's scope
(a job outside it is the same 404 as a missing one). Long work runs as background tasks; the
progress fragment is polled by htmx while a job runs, and the page works without it (reload).
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import MANAGE_PERSONS
from wushe.core.forms import apply_service_errors
from wushe.core.listing import paginate
from wushe.core.models import AccessEventKind, RegionLevel
from wushe.core.permissions import page_permission
from wushe.core.services import access_event_record
from wushe.core.taskstate import stale_after
from wushe.core.web import AuthedRequest
from wushe.registry import selectors as registry_selectors

from . import selectors, services
from .forms import MappingForm, UploadForm
from .limits import too_large_message
from .models import ACTIVE_STATUSES, ImportJob, RowOutcome, RowPhase
from .report import write_error_report

TARGET_LEVELS = (RegionLevel.COUNTY, RegionLevel.STREET, RegionLevel.COMMUNITY, RegionLevel.GRID)

manage_required = permission_required(MANAGE_PERSONS, raise_exception=True)


def _upload_form(request: HttpRequest, data: Any = None, files: Any = None) -> UploadForm:
    regions = registry_selectors.region_picker(user=request.user, levels=TARGET_LEVELS)
    return UploadForm(data, files, regions=regions)


@page_permission(MANAGE_PERSONS)
@require_http_methods(["GET", "POST"])
def job_list(request: AuthedRequest) -> HttpResponse:
    form = _upload_form(request)
    status = 200
    if request.method == "POST":
        form = _upload_form(request, request.POST, request.FILES)
        too_large = getattr(request, "upload_too_large", 0)  # set by the upload handler
        if too_large:
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", too_large_message(too_large))
            status = 413
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.job_create(
                    acting_user=request.user,
                    region=form.cleaned_data["region"],
                    fileobj=upload,
                    name=upload.name,
                    as_of=form.as_of_datetime(),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("imports:job_detail", pk=job.pk)
    page = paginate(request, selectors.job_list(user=request.user))
    return render(
        request,
        "imports/job_list.html",
        {"form": form, "page_obj": page, "jobs": page.object_list},
        status=status,
    )


def _detail_context(request: HttpRequest, job: ImportJob, **extra: Any) -> dict[str, Any]:
    phase = selectors.job_phase(job)
    show = request.GET.get("show", RowOutcome.REJECTED)
    if show not in RowOutcome.values:
        show = RowOutcome.REJECTED
    page = Paginator(selectors.job_rows(job=job, phase=phase, outcome=show), 50).get_page(
        request.GET.get("page")
    )
    counts = job.counts if phase == RowPhase.COMMIT else job.check_counts
    context = {
        "job": job,
        "phase": phase,
        "show": show,
        "page_obj": page,
        "rows": [selectors.row_display(job, r) for r in page.object_list],
        "counts": counts,
        "active": job.status in ACTIVE_STATUSES and not selectors.job_is_stale(job),
        "stale": selectors.job_is_stale(job),
        "waiting": selectors.job_waits_for_worker(job),
        "stale_minutes": max(1, round(stale_after().total_seconds() / 60)),
        "outcomes": [(o.value, o.label) for o in RowOutcome],
        "mapping_form": None,
        "can_abandon": not job.committed_through
        and job.file_purged_at is None
        and job.status != "done"
        and (job.status not in ACTIVE_STATUSES or selectors.job_is_stale(job)),
    }
    if services.job_can_check(job):
        context["mapping_form"] = MappingForm(headers=job.headers, mapping=job.mapping, samples=job.samples)
    context.update(extra)
    return context


@login_required
@manage_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    return render(request, "imports/job_detail.html", _detail_context(request, job))


@login_required
@manage_required
@require_POST
def job_mapping(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the column mapping (remembered for files of the same shape) and start the dry run."""
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    form = MappingForm(request.POST, headers=job.headers, mapping=job.mapping, samples=job.samples)
    if form.is_valid():
        try:
            services.job_set_mapping(acting_user=request.user, job=job, mapping=form.mapping())
            services.job_check_start(acting_user=request.user, job=job)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("imports:job_detail", pk=job.pk)
    job.refresh_from_db()
    context = _detail_context(request, job, mapping_form=form)
    return render(request, "imports/job_detail.html", context, status=400)


@login_required
@manage_required
@require_POST
def job_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    try:
        services.job_commit_start(acting_user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:job_detail", pk=job.pk)


@login_required
@manage_required
@require_POST
def job_abandon(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give up a job that wrote nothing: its uploaded file is deleted at once."""
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    try:
        services.job_abandon(acting_user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已放弃该导入任务，上传的文件已删除"))
    return redirect("imports:job_detail", pk=job.pk)


@login_required
@manage_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; once the job stops, the page reloads to show the result."""
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    context = _detail_context(request, job)
    response = render(request, "imports/_progress.html", context)
    if getattr(request, "htmx", False) and not context["active"] and not context["waiting"]:
        response["HX-Refresh"] = "true"
    return response


@login_required
@manage_required
@require_GET
def job_errors(request: HttpRequest, pk: int) -> FileResponse:
    """The rejected rows as an Excel file, ready to correct and upload again (an audited export)."""
    job = selectors.get_job_for_user(user=request.user, pk=pk)
    phase = selectors.job_phase(job)
    fd, path = tempfile.mkstemp(prefix="wushe-import-errors-", suffix=".xlsx")
    os.close(fd)
    try:
        count = write_error_report(job, phase, path)
        handle = open(path, "rb")  # noqa: SIM115 — closed by the FileResponse
    finally:
        os.unlink(path)  # the open handle keeps the data until the response is sent
    access_event_record(
        kind=AccessEventKind.EXPORT,
        user=request.user,
        request=request,
        obj=job,
        detail={"report": "import_errors", "phase": phase, "rows": count},
    )
    name = _("未通过的行-%(id)s.xlsx") % {"id": job.pk}
    return FileResponse(handle, as_attachment=True, filename=name)
