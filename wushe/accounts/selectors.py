"""Reads of the accounts app, scoped: which users and which access events a user may see.

A user "of my scope" holds at least one grant on a region inside my grants (an organization
role's grant carries its organization's region). A superuser sees every user and event. The
access events I may read are those of the users of my scope (their sign-ins included) and those
about a record I may see; failed sign-ins under a name that is no user of my scope — mistyped
usernames, other streets' staff — stay with the superusers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from wushe.core.models import AccessEvent, Region
from wushe.core.scoping import ScopedQuerySet

from .models import ApiToken, RoleGrant, User

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def user_list(*, user: AnyUser) -> QuerySet[User]:
    users = User.objects.order_by("username")
    if user.is_superuser:
        return users
    regions = Region.objects.visible_to(user).values("pk")
    return users.filter(is_superuser=False, grants__region__in=regions).distinct()


def get_user_for_user(*, user: AnyUser, pk: int | str | None) -> User:
    if pk is None:
        raise Http404
    try:
        return user_list(user=user).get(pk=int(pk))
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def user_is_wholly_in_scope(*, user: AnyUser, target: User) -> bool:
    """Every grant of ``target`` lies in ``user``'s scope: only then may ``user`` act on the account
    itself (deactivate it), not only on the grants inside their scope."""
    if user.is_superuser:
        return True
    if target.is_superuser:
        return False
    regions = Region.objects.visible_to(user).values("pk")
    return not target.grants.exclude(region__in=regions).exists()


def grant_list(*, user: AnyUser, target: User) -> QuerySet[RoleGrant]:
    grants = target.grants.select_related("region", "organization", "granted_by").order_by(
        "role", "region__code"
    )
    if user.is_superuser:
        return grants
    return grants.filter(region__in=Region.objects.visible_to(user).values("pk"))


def own_grants(*, user: User) -> list[RoleGrant]:
    """The user's own grants (role, region or organization), for the home page's heading."""
    return list(user.grants.select_related("region", "organization").order_by("role", "region__code"))


def get_grant_for_user(*, user: AnyUser, pk: int | str) -> RoleGrant:
    grants = RoleGrant.objects.select_related("user", "region")
    if not user.is_superuser:
        grants = grants.filter(
            region__in=Region.objects.visible_to(user).values("pk"), user__is_superuser=False
        )
    try:
        return grants.get(pk=int(pk))
    except (RoleGrant.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _scoped_records() -> list[tuple[type[Model], ScopedQuerySet[Model]]]:
    """Every scoped model (its default manager's queryset is scoped) with that queryset."""
    out = []
    for model in apps.get_models():
        qs = model._default_manager.all()
        if isinstance(qs, ScopedQuerySet) and model is not AccessEvent:
            out.append((model, qs))
    return out


@dataclass(frozen=True)
class AuditFilters:
    """The access log's one filter definition: an event kind, part of a username."""

    kind: str = ""
    q: str = ""


def audit_list(*, user: AnyUser, filters: AuditFilters | None = None) -> QuerySet[AccessEvent]:
    """The access log's page: :func:`access_event_list` with the page's filters."""
    f = filters or AuditFilters()
    return access_event_list(user=user, kind=f.kind, q=f.q)


def access_event_list(*, user: AnyUser, kind: str = "", q: str = "") -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.select_related("user").order_by("-at", "-id")
    if kind:
        events = events.filter(kind=kind)
    if q:
        events = events.filter(username__icontains=q)
    if user.is_superuser:
        return events
    mine = user_list(user=user)
    visible = Q(user__in=mine.values("pk")) | Q(user__isnull=True, username__in=mine.values("username"))
    for model, records in _scoped_records():
        ids = records.visible_to(user).annotate(_id=Cast("pk", CharField())).values("_id")
        visible |= Q(object_type=model._meta.label_lower, object_id__in=ids)
    return events.filter(visible)


def api_token_for_key(*, key_hash: str) -> ApiToken | None:
    """The live token with this hash (not revoked, its user active), with its user."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
