"""Writes of the accounts app: users, role grants, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.core import scoping
from wushe.core.models import Region

from .models import ApiToken, RoleGrant, User
from .roles import ORGANIZATION_ROLES, REGION_ROLES, Role


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
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, region=region, organization=organization, defaults={"granted_by": acting_user}
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
