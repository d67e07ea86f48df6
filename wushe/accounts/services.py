"""Writes of the accounts app: users, role grants, API tokens, two-factor devices."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.core import crypto, scoping
from wushe.core.models import AccessEventKind, Region
from wushe.core.permissions import require_operator, require_perm, require_region_in_scope
from wushe.core.services import access_event_record

from .models import ApiToken, RoleGrant, User
from .roles import MANAGE_USERS, ORGANIZATION_ROLES, REGION_ROLES, Role
from .selectors import api_token_for_key


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str | None = None,
    password_hash: str | None = None,
    display_name: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a user (a superuser, or the system: ``acting_user=None``). ``password_hash`` lets bulk
    set-up (the demo) hash one password once. A user creating an account inside their scope goes
    through :func:`user_create_in_scope`."""
    require_operator(acting_user)
    return _user_new(
        username=username,
        password=password,
        password_hash=password_hash,
        display_name=display_name,
        is_superuser=is_superuser,
    )


def _user_new(
    *,
    username: str,
    password: str | None,
    password_hash: str | None = None,
    display_name: str = "",
    is_superuser: bool = False,
) -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("用户名 %(u)s 已存在") % {"u": username}})
    user = User(
        username=username,
        display_name=display_name,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.password = password_hash or make_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: str,
    region: Region | None = None,
    organization: Any = None,  # a partners.Organization (accounts sits below partners)
    acting_user: User | None = None,
) -> RoleGrant:
    """Grant ``role`` on ``region``'s subtree, or — for the organization roles — on
    ``organization`` (the grant's region is then the organization's)."""
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%(r)s") % {"r": role}})
    if role in ORGANIZATION_ROLES and organization is None and region is None:
        raise ValidationError({"organization": _("该角色须授权到一个组织")})
    if role in REGION_ROLES and organization is not None:
        raise ValidationError({"organization": _("区域角色不授权到组织")})
    if organization is not None:
        region = organization.region
    if region is None:
        raise ValidationError({"region": _("请选择区域")})
    if acting_user is not None:
        _check_grant_scope(acting_user, region=region, organization=None)
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, region=region, organization=organization, defaults={"granted_by": acting_user}
    )
    if acting_user is not None and _created:
        access_event_record(
            kind=AccessEventKind.USERS,
            user=acting_user,
            obj=user,
            detail={"action": "grant", "role": role, "region": region.code},
        )
    scoping.forget(user)
    return grant


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str = "") -> str:
    """Create a token and return its plain value — shown once, stored only as a hash."""
    key = "ws_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=_hash_token(key), prefix=key[:8])
    return key


def api_token_authenticate(*, key: str) -> User | None:
    """The user of a live token (``selectors.api_token_for_key``), its use noted at most once a minute."""
    token = api_token_for_key(key_hash=_hash_token(key))
    if token is None:
        return None
    api_token_mark_used(token=token)
    return token.user


def api_token_mark_used(*, token: ApiToken, at: datetime.datetime | None = None) -> None:
    """Note when the token was last used (at most once a minute: a busy client writes no row per call)."""
    now = at or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# ---- users and grants on wushe's own page (accounts.views), inside the acting user's scope ----


def _check_grant_scope(acting_user: User, *, region: Region | None, organization: Any) -> None:
    require_perm(acting_user, MANAGE_USERS)
    target = organization.region if organization is not None else region
    if target is not None:
        require_region_in_scope(
            acting_user, target, field="organization" if organization is not None else "region"
        )


@transaction.atomic
def user_register(
    *,
    acting_user: User,
    username: str,
    display_name: str,
    password: str,
    role: str,
    region: Region | None = None,
    organization: Any = None,  # a partners.Organization (accounts sits below partners)
) -> User:
    """A new account with its first grant, inside the acting user's scope, in one step (an account
    without a grant would belong to nobody's scope)."""
    _check_grant_scope(acting_user, region=region, organization=organization)
    probe = User(username=username, display_name=display_name)
    try:
        validate_password(password, user=probe)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user = _user_new(username=username, password=password, display_name=display_name)
    role_grant(user=user, role=role, region=region, organization=organization, acting_user=acting_user)
    access_event_record(
        kind=AccessEventKind.USERS, user=acting_user, obj=user, detail={"action": "create", "role": role}
    )
    return user


@transaction.atomic
def role_revoke(*, acting_user: User, grant: RoleGrant) -> None:
    _check_grant_scope(acting_user, region=grant.region, organization=None)
    target = grant.user
    access_event_record(
        kind=AccessEventKind.USERS,
        user=acting_user,
        obj=target,
        detail={"action": "revoke", "role": grant.role, "region": grant.region.code},
    )
    grant.delete()
    scoping.forget(target)


@transaction.atomic
def user_set_active(*, acting_user: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account whose every grant lies in the acting user's scope."""
    require_perm(acting_user, MANAGE_USERS)
    if not acting_user.is_superuser:
        regions = Region.objects.visible_to(acting_user).values("pk")
        if user.is_superuser or user.grants.exclude(region__in=regions).exists():
            raise ValidationError(_("该账号在您的管辖范围之外还有授权，请联系上级管理员"))
    if user.pk == acting_user.pk and not active:
        raise ValidationError(_("不能停用自己的账号"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    access_event_record(
        kind=AccessEventKind.USERS,
        user=acting_user,
        obj=user,
        detail={"action": "activate" if active else "deactivate"},
    )
    return user


# ---- two-factor sign-in (TOTP with recovery codes; policy and views in ``twofactor``) ----------

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _normalise_code(token: str) -> str:
    return "".join(ch for ch in (token or "").lower() if ch.isalnum())


def recovery_code_hash(code: str) -> str:
    """What is stored for a recovery code: a keyed hash (the hash key is not in the database), cut
    to the 16 characters of django-otp's ``StaticToken.token`` — 64 bits for codes of 50 bits."""
    return crypto.blind_index("recovery", _normalise_code(code))[:16]


def _audit(kind: str, user: User, request: HttpRequest | None, **detail: Any) -> None:
    access_event_record(kind=kind, user=user, request=request, detail=detail)


def _check_code(*, user: User, token: str, request: HttpRequest | None, purpose: str) -> Device:
    """The user's confirmed device that accepts ``token`` (a TOTP code or a recovery code), or a
    recorded, throttled failure raised as a ValidationError on ``token``."""
    device = two_factor_verify(acting_user=user, token=token, request=request, purpose=purpose)
    if device is None:
        raise ValidationError(
            {"token": "验证码不正确或尝试过于频繁 / The code is wrong, or too many tries: wait and retry"}
        )
    return device


def two_factor_verify(
    *, acting_user: User, token: str, request: HttpRequest | None = None, purpose: str = "login"
) -> Device | None:
    """Check a code against the user's confirmed TOTP device, then their recovery codes (a
    recovery code works once). Each device throttles its own failures (django-otp); a failure is
    recorded and counted like a failed login (django-axes). Returns the device that matched."""
    code = _normalise_code(token)
    if code:
        totp = TOTPDevice.objects.filter(user=acting_user, confirmed=True).first()
        if totp is not None and code.isdigit() and len(code) == 6 and totp.verify_token(code):
            return totp
        static = StaticDevice.objects.filter(user=acting_user, confirmed=True).first()
        if (
            static is not None
            and not (code.isdigit() and len(code) == 6)
            and static.verify_token(recovery_code_hash(code))
        ):
            _audit(AccessEventKind.TWO_FACTOR_RECOVERY_USED, acting_user, request, purpose=purpose)
            return static
    _audit(AccessEventKind.TWO_FACTOR_FAILED, acting_user, request, purpose=purpose)
    # counted like a failed password: django-axes locks the name out after its limit
    user_login_failed.send(
        sender=__name__,
        credentials={"username": acting_user.get_username(), "second_factor": True},
        request=request,
    )
    return None


def totp_device_create(
    *, acting_user: User, token: str = "", request: HttpRequest | None = None
) -> TOTPDevice:
    """A new unconfirmed TOTP device for the user (any earlier unconfirmed one is dropped). A user
    who already has one must give a current code: a session alone does not swap the authenticator."""
    if TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists():
        _check_code(user=acting_user, token=token, request=request, purpose="replace")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=acting_user, name="authenticator", confirmed=False)


def totp_device_confirm(
    *, acting_user: User, device: TOTPDevice, token: str, request: HttpRequest | None = None
) -> list[str]:
    """Confirm ``device`` with a code from the app; it replaces any earlier device, and fresh
    recovery codes are returned (shown once)."""
    if device.user_id != acting_user.pk or device.confirmed:
        raise ValidationError({"token": "没有待确认的验证器 / No authenticator waiting for confirmation"})
    code = _normalise_code(token)
    if not (code.isdigit() and len(code) == 6 and device.verify_token(code)):
        _audit(AccessEventKind.TWO_FACTOR_FAILED, acting_user, request, purpose="enrol")
        raise ValidationError(
            {
                "token": "验证码不正确，请输入验证器当前显示的6位数字 / Wrong code: enter the 6 digits the app shows now"
            }
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(acting_user)
        _audit(AccessEventKind.TWO_FACTOR_ENROL, acting_user, request)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_hash(c)) for c in codes)
    return codes


def recovery_codes_regenerate(
    *, acting_user: User, token: str, request: HttpRequest | None = None
) -> list[str]:
    """New recovery codes (the old ones stop working), after a current code."""
    _check_code(user=acting_user, token=token, request=request, purpose="recovery_codes")
    with transaction.atomic():
        codes = _recovery_codes_replace(acting_user)
        _audit(AccessEventKind.TWO_FACTOR_RECOVERY_CODES, acting_user, request)
    return codes


def two_factor_disable(*, acting_user: User, token: str, request: HttpRequest | None = None) -> None:
    """Remove the user's authenticator and recovery codes, after a current code. Refused where
    two-factor sign-in is required for the user."""
    from .twofactor import two_factor_required

    if two_factor_required(acting_user):
        raise ValidationError(
            {"token": "您的角色必须使用两步验证，不能停用 / Two-factor sign-in is required for your role"}
        )
    _check_code(user=acting_user, token=token, request=request, purpose="disable")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user).delete()
        StaticDevice.objects.filter(user=acting_user).delete()
        _audit(AccessEventKind.TWO_FACTOR_DISABLE, acting_user, request)
