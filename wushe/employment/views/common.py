"""What the views modules share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wushe.accounts.roles import MANAGE_LISTS, READ_REGISTRY, RECORD_OUTREACH
from wushe.core.forms import apply_service_errors

READ = READ_REGISTRY  # employment records are about residents: whoever reads the registry


def _can(request: HttpRequest, perm: str) -> bool:
    return bool(request.user.has_perm(perm))


def _outreach(request: HttpRequest) -> bool:
    return _can(request, RECORD_OUTREACH) or _can(request, MANAGE_LISTS)


def _save(request: HttpRequest, form: forms.Form, write: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """Validate ``form`` and write through the service; the service's errors go on the form."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False
    messages.success(request, done)
    return True


def _form_page(
    request: HttpRequest, *, title: str, back: str, back_label: str, form: forms.Form
) -> HttpResponse:
    return render(
        request,
        "employment/form_page.html",
        {"title": title, "back_url": back, "back_label": back_label, "form": form},
        status=400 if form.errors else 200,
    )
