"""Two-factor sign-in: who must use it, and the gate that holds a session until the code is given.

Sign-in stays Django's ``LoginView`` (django-axes in front). A user with a confirmed authenticator
then lands on ``/accounts/2fa/verify/`` and reaches nothing else until a TOTP code or a recovery
code is accepted (``django_otp.login`` marks the session verified; ``OTPMiddleware`` reads it). A
user for whom it is required (:func:`two_factor_required`) and who has no authenticator yet is sent
to the enrolment page instead.

What a session needs is worked out once, when it signs in (``user_logged_in``), and kept in the
session, so requests of users without an authenticator cost no query. An authenticator added in
another session counts from the next sign-in.

The API: a session that still owes its code gets 403; a bearer token is unaffected (tokens are
issued by an administrator to a named user and revoked the same way — they are not a sign-in),
but the session is not used for that request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RoleGrant
from .roles import Role

if TYPE_CHECKING:
    from .models import User

STATE_KEY = "wushe_2fa"
NONE, VERIFY, ENROL = "none", "verify", "enrol"


def two_factor_required(user: User) -> bool:
    """Required for superusers and street administrators when ``WUSHE_2FA_REQUIRED`` (by default
    ``not DEBUG``); optional for everyone else."""
    if not getattr(settings, "WUSHE_2FA_REQUIRED", False):
        return False
    return bool(user.is_superuser or RoleGrant.objects.filter(user=user, role=Role.STREET_ADMIN).exists())


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_state(user: User) -> str:
    if has_device(user):
        return VERIFY
    return ENROL if two_factor_required(user) else NONE


@receiver(user_logged_in)
def _remember_state(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[STATE_KEY] = session_state(user)


def set_state(request: HttpRequest, state: str) -> None:
    request.session[STATE_KEY] = state


def _allowed(path: str, state: str) -> bool:
    if path.startswith((settings.STATIC_URL or "/static/", "/i18n/")):
        return True
    pages = {reverse("logout"), reverse("login")}
    if state == ENROL:
        pages |= {reverse("twofactor:manage"), reverse("twofactor:setup")}
    else:
        pages.add(reverse("twofactor:verify"))
    return path in pages


class TwoFactorMiddleware:
    """After ``OTPMiddleware``: hold a session that owes its second factor (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            state = request.session.get(STATE_KEY)
            if state not in (NONE, VERIFY, ENROL):  # a session from before two-factor sign-in
                state = session_state(user)
                request.session[STATE_KEY] = state
            # django-otp's OTPMiddleware gives the request's user is_verified(); no model declares it
            if state != NONE and not user.is_verified():  # type: ignore[attr-defined]
                held = self._hold(request, state)
                if held is not None:
                    return held
        return self.get_response(request)

    def _hold(self, request: HttpRequest, state: str) -> HttpResponse | None:
        path = request.path
        if _allowed(path, state):
            return None
        if path.startswith("/api/"):
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                request.user = AnonymousUser()  # the token alone decides
                return None
            return JsonResponse(
                {"detail": "请先完成两步验证 / Complete two-factor sign-in first"},
                status=403,
            )
        target = "twofactor:setup" if state == ENROL else "twofactor:verify"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
