"""What the edit pages of recorded work share: the reason a correction asks for, and the one
view shape (read the object in scope, check who may edit it, a form with the current values,
the service, back to the object's page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .forms import apply_service_errors


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("修改说明"), max_length=100, help_text=_("为什么修改：记入修改历史，与修改人、时间一起保存")
    )


def edit_page(
    request: HttpRequest,
    *,
    obj: Any,
    may_edit: bool,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    title: str | Promise,
    back_url: str,
    back_label: str | Promise,
    done: str | Promise,
) -> HttpResponse:
    """GET: the form with the object's values; POST: ``save(cleaned_data)`` (the service), then
    back to ``back_url``; a service's errors on their fields (status 400)."""
    if not may_edit:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, str(done))
            return redirect(back_url)
    return render(
        request,
        "core/edit_page.html",
        {
            "title": title,
            "back_url": back_url,
            "back_label": back_label,
            "form": form,
            "submit": _("保存修改"),
            "object": obj,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
