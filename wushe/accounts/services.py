"""Writes of the accounts app: users, role grants, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.core import scoping
from wushe.core.models import AccessEventKind, Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.services import access_event_record

from .models import ApiToken, RoleGrant, User
from .roles import MANAGE_USERS, ORGANIZATION_ROLES, REGION_ROLES, Role


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None = None,
    password_hash: str | None = None,
    display_name: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a user. ``password_hash`` lets bulk set-up (the demo) hash one password once."""
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
    organization: Any = None,
    acting_user: Any = None,
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
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# ---- users and grants on wushe's own page (accounts.views), inside the acting user's scope ----


def _check_grant_scope(acting_user: Any, *, region: Region | None, organization: Any) -> None:
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
    organization: Any = None,
) -> User:
    """A new account with its first grant, inside the acting user's scope, in one step (an account
    without a grant would belong to nobody's scope)."""
    _check_grant_scope(acting_user, region=region, organization=organization)
    probe = User(username=username, display_name=display_name)
    try:
        validate_password(password, user=probe)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user = user_create(username=username, password=password, display_name=display_name)
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
