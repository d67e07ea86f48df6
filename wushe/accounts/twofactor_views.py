"""Pages of two-factor sign-in: enrolment (QR code + secret, confirm, recovery codes), the
second sign-in step, and managing it (new recovery codes, switching it off). Writes go through
``accounts.services``; the policy and the session gate are in :mod:`.twofactor`."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.core.qr import qr_data_uri
from wushe.core.web import AuthedRequest

from . import services
from .twofactor import NONE, VERIFY, has_device, session_state, set_state, two_factor_required


def _error(exc: ValidationError) -> str:
    messages = exc.message_dict.get("token") if hasattr(exc, "error_dict") else exc.messages
    return " ".join(messages or exc.messages)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else resolve_url(settings.LOGIN_REDIRECT_URL)


def _codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(request, "accounts/twofactor_codes.html", {"codes": codes})


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: AuthedRequest) -> HttpResponse:
    """Status, new recovery codes, switching off (each POST asks for a current code)."""
    user = request.user
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "regenerate":
                codes = services.recovery_codes_regenerate(
                    acting_user=user, token=request.POST.get("token", ""), request=request
                )
                return _codes_page(request, codes)
            if action == "disable":
                services.two_factor_disable(
                    acting_user=user, token=request.POST.get("token", ""), request=request
                )
                set_state(request, NONE)
                return redirect("twofactor:manage")
            error = "未知操作 / Unknown action"
        except ValidationError as exc:
            error = _error(exc)
    enabled = has_device(user)
    context = {
        "enabled": enabled,
        "required": two_factor_required(user),
        "codes_left": StaticToken.objects.filter(device__user=user).count() if enabled else 0,
        "error": error,
    }
    return render(request, "accounts/twofactor_manage.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: AuthedRequest) -> HttpResponse:
    """Enrolment: start (a new secret), scan or type it, confirm with a code."""
    user = request.user
    error = ""
    if request.method == "POST":
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if request.POST.get("action") == "start":
            try:
                services.totp_device_create(
                    acting_user=user, token=request.POST.get("token", ""), request=request
                )
            except ValidationError as exc:
                error = _error(exc)
            else:
                return redirect("twofactor:setup")
        elif device is None:
            error = "请先生成新的密钥 / Start by creating a new secret"
        else:
            try:
                codes = services.totp_device_confirm(
                    acting_user=user, device=device, token=request.POST.get("token", ""), request=request
                )
            except ValidationError as exc:
                error = _error(exc)
            else:
                otp_login(request, device)
                set_state(request, VERIFY)
                return _codes_page(request, codes)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    context: dict[str, object] = {"device": device, "error": error, "enabled": has_device(user)}
    if device is not None:
        uri = device.config_url
        context["qr"] = qr_data_uri(uri, scale=4, border=2, error="m")
        context["secret"] = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/twofactor_setup.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthedRequest) -> HttpResponse:
    """The second sign-in step: a code from the app or a recovery code."""
    if not has_device(request.user):  # switched off in another session: nothing to verify here
        set_state(request, session_state(request.user))
        return redirect(_next(request))
    error = ""
    if request.method == "POST":
        device = services.two_factor_verify(
            acting_user=request.user, token=request.POST.get("token", ""), request=request
        )
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        if getattr(request, "axes_locked_out", False):  # django-axes' limit reached: the session ends
            logout(request)
        error = (
            "验证码不正确或尝试过于频繁，请稍后重试 / The code is wrong, or too many tries: wait and retry"
        )
    context = {"error": error, "next": _next(request)}
    return render(request, "accounts/twofactor_verify.html", context, status=400 if error else 200)
