"""Error pages in wushe's layout (handler400/403/404/500 in wushe/urls.py, CSRF_FAILURE_VIEW).

Django's defaults render 400 and 500 without the request, and its built-in fallbacks are bare
English pages; with DEBUG on a 404 lists the URL patterns. These render the bilingual templates
in wushe/core/templates with the request (the layout needs it). An error page must never fail
in turn: if the layout cannot be rendered, the minimal 500 text is answered with the status.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

MINIMAL_500 = "服务器错误，请稍后重试。 / Server error, please try again later."  # the last resort


def _render(request: HttpRequest, template: str, status: int) -> HttpResponse:
    try:
        body = loader.render_to_string(template, request=request)
    except Exception:  # an error page must not raise in turn
        logger.exception("Could not render the error page %s", template)
        return HttpResponse(MINIMAL_500, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context: the database or a context processor may be what failed."""
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        logger.exception("Could not render 500.html")
        body = MINIMAL_500
    return HttpResponse(body, status=500)
