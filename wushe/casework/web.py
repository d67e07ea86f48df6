"""Page helpers shared by the service-work apps: pagination, the person picker, service errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

from wushe.registry.forms import apply_service_errors
from wushe.registry.selectors import PersonFilters, get_person_for_user, is_sensitive_query, person_list

__all__ = ["apply_service_errors", "paginate", "person_picker", "params_without_page", "first_error"]


def paginate(request: HttpRequest, qs: QuerySet[Any]) -> Page:
    return Paginator(qs, settings.WUSHE_PAGE_SIZE).get_page(request.GET.get("page"))


def params_without_page(request: HttpRequest) -> QueryDict:
    params = request.GET.copy()
    params.pop("page", None)
    return params


def person_picker(request: HttpRequest, *, title: str, param: str = "person") -> dict[str, Any]:
    """Choose a registered person by name or pinyin (never by ID number or phone in a URL)."""
    q = (request.GET.get("q") or "").strip()[:60]
    chosen = None
    raw = request.GET.get(param) or request.POST.get(param)
    if raw:
        try:
            chosen = get_person_for_user(user=request.user, pk=int(raw))
        except Exception:  # noqa: BLE001 — a bad or foreign id is simply not chosen
            chosen = None
    blocked = bool(q) and is_sensitive_query(q)
    persons: list[Any] = []
    if q and not blocked and chosen is None:
        persons = list(
            person_list(user=request.user, filters=PersonFilters(q=q)).select_related("region")[:10]
        )
    return {"title": title, "q": q, "persons": persons, "chosen": chosen, "blocked": blocked, "param": param}


def first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("rows", "3")
        else:
            widget.attrs.setdefault("class", "form-control")
