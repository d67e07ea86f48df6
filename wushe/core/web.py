"""Page helpers every app's views share: the signed-in request, a service's error as one line or
as messages, a posted form's errors as messages, the posted choice among those offered."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from wushe.core.types import User


class AuthedRequest(HttpRequest):
    """The request of a view behind ``login_required`` (or an API operation: the API refuses
    anonymous callers): its ``user`` is a signed-in ``accounts.User``, never the anonymous user.
    A view that hands ``request.user`` to a service as ``acting_user`` takes ``request:
    AuthedRequest``. For the type checker only: at run time it is Django's own request."""

    user: User


def first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def form_error_messages(request: HttpRequest, form: Form) -> None:
    """A posted form's errors as messages on the page it redirects to, each named by its field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}：{e}" if label else str(e))


def service_error_messages(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as messages on the page it redirects to, one a rule."""
    for message in exc.messages:
        messages.error(request, message)


def by_pk(items: Iterable[Any], raw: Any) -> Any:
    """The item among ``items`` (what a form offered: organizations, regions in scope) whose pk is
    the posted ``raw``; ``None`` for an empty or unknown value (never a read outside the list).
    A form's choices are the same items, so a valid required field always finds one."""
    if not raw:
        return None
    return next((i for i in items if str(getattr(i, "pk", None)) == str(raw)), None)


def clearing_site_data(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The response tells the browser to drop what it keeps for the site (the offline visits'
    caches, IndexedDB queue and service worker): the logout's, so nothing stays on a shared phone."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    return wrapped


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from: ``REMOTE_ADDR``, or behind wushe's reverse proxy
    (``WUSHE_BEHIND_PROXY``: nginx sets ``X-Forwarded-For`` to the address it saw, see
    deploy/nginx.conf.example) the last address of ``X-Forwarded-For`` — the one the proxy itself
    wrote, never one a client sent ahead of it. Used for the public pages' rate limits and the
    access log."""
    if getattr(settings, "WUSHE_BEHIND_PROXY", False):
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or None
