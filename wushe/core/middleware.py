"""Request and response plumbing for privacy and security.

- ``NoStoreMiddleware``: pages that may carry personal data must not be kept by browsers or
  proxies (every response to a signed-in user, and every API response).
- ``SessionLifetimeMiddleware``: a session ends 12 hours after login whatever the activity (the
  30 idle minutes are Django's ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``).
- ``SecurityHeadersMiddleware``: the headers Django has no setting for (Permissions-Policy).
- ``RejectNulMiddleware``: a NUL character in a query parameter or a JSON body is refused, and
  so is a JSON body nested deeper than ``JSON_MAX_DEPTH`` (checked without recursion).
- ``SensitiveQueryMiddleware``: an ID or phone number anywhere in a query string never reaches
  a view (422 on the API, a redirect without it on a page).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .sensitive import contains_personal_number

LOGIN_TIME_KEY = "wushe_login_at"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/static/"):
            return response
        # The API's bearer authentication replaces request.user inside the view, so this sees
        # the token's user too; API answers are never cached in any case.
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


class SessionLifetimeMiddleware:
    """Log out a session that began more than ``WUSHE_SESSION_ABSOLUTE_SECONDS`` ago.

    The login time is stored in the session at login (and, for a session that has none, on its
    first request). Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(LOGIN_TIME_KEY)
            if not isinstance(started, int | float):
                request.session[LOGIN_TIME_KEY] = now
            elif now - started > settings.WUSHE_SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the session; the request goes on as anonymous
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="wushe_session_login_time")
def _remember_login_time(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[LOGIN_TIME_KEY] = time.time()


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.WUSHE_PERMISSIONS_POLICY)
        return response


NUL_MESSAGE = "不能包含空字符（NUL, 0x00） / must not contain the NUL character (0x00)"


def _nul_locations(value: Any, loc: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                yield (*loc, key)
            yield from _nul_locations(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*loc, index))


JSON_MAX_DEPTH = 64
DEPTH_MESSAGE = (
    f"JSON 嵌套层数超过 {JSON_MAX_DEPTH} 层 / JSON nested deeper than {JSON_MAX_DEPTH} levels is refused"
)
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth_exceeds(body: bytes, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether the brackets of ``body`` (outside its strings) nest deeper than ``limit``.

    Iterative: ``json.loads`` of ``[[[[…]]]]`` 100,000 levels deep raises RecursionError (a 500),
    so the depth is counted before anything parses the body. Text that is not JSON may be
    counted wrongly; it is refused by the parser anyway."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # cannot be deeper than the number of its opening brackets
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body))
    depth = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _json_body(request: HttpRequest) -> bool:
    """A body any parser could take as JSON: declared so, or not a form (django-ninja parses a
    body as JSON whatever its content type)."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return False  # read by Django's form parser (uploads stream; never read whole here)
    return bool(request.body)


class RejectNulMiddleware:
    """Refuse NUL characters in query parameters and JSON bodies.

    PostgreSQL text cannot hold NUL (0x00): such a value reached the database as a 500 (found by
    the API fuzzer), and on SQLite it was stored. No wushe value contains one, so the request is
    refused before any view runs: 422 with the API's error shape under /api/, 400 elsewhere.
    Form fields are already covered by Django's ProhibitNullCharactersValidator.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _json_body(request) and json_depth_exceeds(request.body):
            return self._refuse(request, ("body",), DEPTH_MESSAGE)
        found = next(self._locations(request), None)
        if found is None:
            return self.get_response(request)
        return self._refuse(request, found, NUL_MESSAGE)

    @staticmethod
    def _refuse(request: HttpRequest, found: tuple[Any, ...], message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            detail = [{"loc": list(found), "field": found[-1] if len(found) > 1 else None, "msg": message}]
            return JsonResponse({"detail": detail}, status=422)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _locations(request: HttpRequest) -> Iterator[tuple[Any, ...]]:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                yield ("query", key)
        if request.content_type == "application/json" and request.body:
            try:
                body = json.loads(request.body)  # the depth was checked first
            except (ValueError, RecursionError):
                return  # not JSON: the view answers that
            yield from _nul_locations(body, ("body",))


SENSITIVE_QUERY_MESSAGE = (
    "身份证号、电话号码不能放在网址中，请在检索框中输入（以 POST 提交） / ID and phone numbers must "
    "not be in a URL: type them into the search box (sent as a POST)"
)


def _region_code(key: str, value: str) -> bool:
    """``?region=`` holding a bare 12- or 15-digit region code (public, not personal data)."""
    return key == "region" and value.isascii() and value.isdigit() and len(value) in (12, 15)


class SensitiveQueryMiddleware:
    """No ID or phone number in a query string (wushe.core.sensitive finds one anywhere in any
    value): the API answers 422 naming the parameter; a page is redirected (303) to its URL
    without the parameters that carried one, with a warning, so the number leaves the address
    bar and the history and no view, access event or export ever sees it. Log lines are
    redacted as well (``RedactPersonalNumbers`` in settings.LOGGING). Must come after
    MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.GET or request.path.startswith("/static/"):
            return self.get_response(request)
        carrying = [
            key
            for key, values in request.GET.lists()
            if contains_personal_number(key)
            or any(contains_personal_number(v) and not _region_code(key, v) for v in values)
        ]
        if not carrying:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            detail = [{"loc": ["query", k], "field": k, "msg": SENSITIVE_QUERY_MESSAGE} for k in carrying]
            return JsonResponse({"detail": detail}, status=422)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseBadRequest(SENSITIVE_QUERY_MESSAGE, content_type="text/plain; charset=utf-8")
        kept = request.GET.copy()
        for key in carrying:
            kept.pop(key, None)
        messages.warning(request, SENSITIVE_QUERY_MESSAGE)
        query = kept.urlencode()
        return HttpResponseRedirect(request.path + (f"?{query}" if query else ""), status=303)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the language switch (the language cookie).

    Django's own middleware would follow the browser's Accept-Language, so an office PC set up
    in English would show wushe in English before anyone asked for it."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
