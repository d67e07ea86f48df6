"""The small checks every app's services share, one of each: a text, a count, a moment, a day not
in the future, an object the user may see, the next serial number. Each raises Django's
``ValidationError`` keyed by the field it names (the pages and the API put it back on that field)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .scoping import ScopedQuerySet

if TYPE_CHECKING:
    from .types import AnyUser

# how far ahead of the server's clock a client's "now" may be
CLOCK_SKEW = datetime.timedelta(minutes=5)


def today() -> datetime.date:
    return timezone.localdate()


def text(
    value: str | None,
    field: str,
    *,
    max_length: int | None = None,
    required: bool = False,
    message: Any = None,
) -> str:
    """``value`` stripped; required (``message``, or 请填写此项) and at most ``max_length`` characters."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("请填写此项")})
    if max_length is not None and len(value) > max_length:
        raise ValidationError({field: _("不能超过%(n)s个字") % {"n": max_length}})
    return value


def count(value: Any, field: str, *, label: Any, maximum: int) -> int:
    """A whole number from 0 to ``maximum`` (``label`` names it in the message)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(label)s：请填写0或正整数") % {"label": label}}) from None
    if n < 0 or n > maximum:
        raise ValidationError({field: _("%(label)s须在0到%(m)s之间") % {"label": label, "m": maximum}})
    return n


def moment(at: datetime.datetime | None, field: str = "at") -> datetime.datetime:
    """When something happened: now by default; a given time must carry its time zone and not lie
    ahead of the clock."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError({field: _("时间须带时区")})
    if at > now + CLOCK_SKEW:
        raise ValidationError({field: _("时间不能晚于现在")})
    return at


def not_future(on: datetime.date, field: str) -> None:
    if on > today():
        raise ValidationError({field: _("日期不能晚于今天")})


def require_visible(user: AnyUser | None, obj: models.Model | None, field: str) -> None:
    """``obj`` (a scoped model) must be visible to ``user``; ``None`` user is the system."""
    if user is None or obj is None:
        return
    records = type(obj)._default_manager.all()
    if not isinstance(records, ScopedQuerySet):
        raise TypeError(f"{type(obj).__name__} is not a scoped model")
    if not records.visible_to(user).filter(pk=obj.pk).exists():
        raise ValidationError({field: _("所选对象不存在或不在您的管辖范围内")})


def next_number(model: type[models.Model], prefix: str, width: int = 5) -> str:
    """The next ``<prefix><serial>`` number of ``model.number`` (e.g. ``GA2026-00012``)."""
    last = (
        model._default_manager.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:0{width}d}"
