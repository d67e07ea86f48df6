"""The volunteer pages that change a record already made: hours edited (pending) or corrected
(verified, by a reversing record), and the training, awards and evaluations added or corrected."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wushe.core.forms import apply_service_errors
from wushe.core.web import AuthedRequest

from . import records, selectors
from .forms import EntryEditForm, EntryForm, RecordCorrectForm, RecordEditForm
from .models import RecordStatus
from .views import _volunteer_context


@login_required
@require_http_methods(["GET", "POST"])
def record_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    """修改 a pending record, or 更正 a verified one (the team leader: reversal + corrected record)."""
    record = selectors.get_record_for_user(user=request.user, pk=pk)
    if not records.may_correct(request.user, record):
        raise PermissionDenied
    verified = record.status == RecordStatus.VERIFIED
    form_class = RecordCorrectForm if verified else RecordEditForm
    initial = {f: getattr(record, f) for f in records.EDITABLE}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        values = {f: d[f] for f in records.EDITABLE}
        try:
            if verified:
                records.service_record_correct(
                    acting_user=request.user,
                    record=record,
                    reason=d["reason"],
                    withdraw=d["withdraw"],
                    **values,
                )
            else:
                records.service_record_update(
                    acting_user=request.user, record=record, reason=d["reason"], **values
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("已更正服务时长（原记录已冲销）") if verified else _("已修改服务记录")
            )
            return redirect("volunteers:volunteer_detail", pk=record.volunteer_id)
    title = _("更正已核实的服务时长") if verified else _("修改服务记录")
    return render(
        request,
        "volunteers/record_correct.html",
        {
            "title": title,
            "record": record,
            "verified": verified,
            "form": form,
            "back_url": reverse("volunteers:volunteer_detail", args=[record.volunteer_id]),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def entry_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a training, an award or an evaluation to the volunteer's record."""
    volunteer = selectors.get_volunteer_for_user(user=request.user, pk=pk)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            records.volunteer_entry_add(acting_user=request.user, volunteer=volunteer, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已记入志愿者档案"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        _volunteer_context(request, volunteer, entry_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """修改 a training, an award or an evaluation on the volunteer's record, with the reason."""
    entry = selectors.get_entry_for_user(user=request.user, pk=pk)
    if not records.may_edit_entry(request.user, entry):
        raise PermissionDenied
    initial = {f: getattr(entry, f) for f in records.ENTRY_FIELDS}
    form = EntryEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            records.volunteer_entry_update(
                acting_user=request.user,
                entry=entry,
                reason=d["reason"],
                **{f: d[f] for f in records.ENTRY_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已修改志愿者档案记录"))
            return redirect("volunteers:volunteer_detail", pk=entry.volunteer_id)
    return render(
        request,
        "volunteers/entry_edit.html",
        {
            "entry": entry,
            "form": form,
            "back_url": reverse("volunteers:volunteer_detail", args=[entry.volunteer_id]),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
