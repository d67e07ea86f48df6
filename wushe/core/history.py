"""Who acted, as the change history (django-simple-history) and the ``created_by`` columns record it.

Every service names its acting user through :func:`record_actor` before it saves a
history-tracked row, and stores :func:`actor` in its own ``created_by``/``by`` columns. An
anonymous or missing user is the system (the demo, the command line, an import run): ``None``.
"""

from __future__ import annotations

from typing import Any


def actor(user: Any) -> Any:
    """The user to store as the one who did it (``None`` for the system: demo, imports)."""
    return user if getattr(user, "is_authenticated", False) else None


def record_actor(*objs: Any, user: Any) -> None:
    """Name the acting user in the change history of each object about to be saved."""
    who = actor(user)
    for obj in objs:
        obj._history_user = who


def save_as(obj: Any, *, user: Any) -> Any:
    """Save a new history-tracked row naming the acting user (what ``Model.objects.create`` cannot)."""
    record_actor(obj, user=user)
    obj.save()
    return obj
