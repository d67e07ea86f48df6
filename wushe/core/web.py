"""Page helpers every app's views share: pagination, the query string without its page, a
service's error as one line."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict


def paginate(request: HttpRequest, qs: QuerySet[Any]) -> Page:
    return Paginator(qs, settings.WUSHE_PAGE_SIZE).get_page(request.GET.get("page"))


def params_without_page(request: HttpRequest) -> QueryDict:
    params = request.GET.copy()
    params.pop("page", None)
    return params


def first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)
