"""Helpers the service-work apps (casework, appeals, volunteers) share: who did it, and the
checks that what a user picks (a person, an organization) lies in the user's scope."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


def actor(user: Any) -> Any:
    """The user to store as the one who did it (``None`` for the system: demo, imports)."""
    return user if getattr(user, "is_authenticated", False) else None


def stamp(obj: models.Model, user: Any) -> None:
    """Name the acting user in the change history (django-simple-history)."""
    obj._history_user = actor(user)  # type: ignore[attr-defined]


def require_visible(user: Any, obj: Any, field: str) -> None:
    """``obj`` (a scoped model) must be visible to ``user``; ``None`` user is the system."""
    if user is None or obj is None:
        return
    if not type(obj).objects.visible_to(user).filter(pk=obj.pk).exists():
        raise ValidationError({field: _("所选对象不存在或不在您的管辖范围内")})


def today() -> datetime.date:
    return timezone.localdate()


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def not_future(on: datetime.date, field: str) -> None:
    if on > today():
        raise ValidationError({field: _("日期不能晚于今天")})


def next_number(model: type[models.Model], prefix: str, width: int = 5) -> str:
    """The next ``<prefix><serial>`` number of ``model.number`` (e.g. ``GA2026-00012``)."""
    last = (
        model.objects.filter(number__startswith=prefix)  # type: ignore[attr-defined]
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:0{width}d}"


def usable_organizations(user: Any) -> Any:
    """Organizations a user may pick for work: those in the user's scope, and those registered
    on the regions above it (a street's organizations serve its communities)."""
    from wushe.core.scoping import granted_paths
    from wushe.partners.models import Organization

    qs = Organization.objects.filter(active=True)
    paths = granted_paths(user) if user is not None else None
    if paths is None:
        return qs
    above = {int(p) for path in paths for p in path.strip("/").split("/") if p}
    from django.db.models import Q

    visible = Organization.objects.visible_to(user).values("id")
    return qs.filter(Q(id__in=visible) | Q(region_id__in=above))
