"""Request and response plumbing for privacy and security.

- ``NoStoreMiddleware``: pages that may carry personal data must not be kept by browsers or
  proxies (every response to a signed-in user, and every API response).
- ``SessionLifetimeMiddleware``: a session ends 12 hours after login whatever the activity (the
  30 idle minutes are Django's ``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``).
- ``SecurityHeadersMiddleware``: the headers Django has no setting for (Permissions-Policy).
- ``RejectNulMiddleware``: a NUL character in a query parameter or a JSON body is refused.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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
        found = next(self._locations(request), None)
        if found is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            detail = [
                {"loc": list(found), "field": found[-1] if len(found) > 1 else None, "msg": NUL_MESSAGE}
            ]
            return JsonResponse({"detail": detail}, status=422)
        return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")

    @staticmethod
    def _locations(request: HttpRequest) -> Iterator[tuple[Any, ...]]:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                yield ("query", key)
        if request.content_type == "application/json" and request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                return  # not JSON: the view answers that
            yield from _nul_locations(body, ("body",))


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the language switch (the language cookie).

    Django's own middleware would follow the browser's Accept-Language, so an office PC set up
    in English would show wushe in English before anyone asked for it."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
