"""Who acted, as the change history (django-simple-history) and the ``created_by`` columns record it.

Every service names its acting user through :func:`record_actor` before it saves a
history-tracked row, and stores :func:`actor` in its own ``created_by``/``by`` columns. An
anonymous or missing user is the system (the demo, the command line, an import run): ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

U = TypeVar("U", bound="AbstractBaseUser")
M = TypeVar("M", bound=models.Model)


def actor(user: U | AnonymousUser | None) -> U | None:
    """The user to store as the one who did it (``None`` for the system: demo, imports)."""
    return user if user is not None and user.is_authenticated else None


def record_actor(*objs: models.Model, user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Name the acting user in the change history of each object about to be saved."""
    who = actor(user)
    for obj in objs:
        # django-simple-history reads this attribute when it writes the history row; no model
        # declares it
        obj._history_user = who  # type: ignore[attr-defined]


def record_reason(*objs: models.Model, reason: str) -> None:
    """Say why, in the change history of each object about to be saved (at most 100 characters)."""
    for obj in objs:
        # django-simple-history reads this attribute when it writes the history row
        obj._change_reason = reason[:100]  # type: ignore[attr-defined]


def save_as(obj: M, *, user: AbstractBaseUser | AnonymousUser | None) -> M:
    """Save a new history-tracked row naming the acting user (what ``Model.objects.create`` cannot)."""
    record_actor(obj, user=user)
    obj.save()
    return obj
