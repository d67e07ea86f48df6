"""What the services modules share."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS, RECORD_OUTREACH
from wushe.core.checks import require_visible
from wushe.core.ledger import money
from wushe.registry.models import Person, PersonStatus

DEFAULT_MONTHS = (1, 3, 6)


def _outreach(user: User | None) -> None:
    if user is not None and not (user.has_perm(RECORD_OUTREACH) or user.has_perm(MANAGE_LISTS)):
        raise PermissionDenied(_("您没有执行此操作的权限"))


def _dates(start: datetime.date, end: datetime.date, *, start_field: str, end_field: str) -> None:
    if end < start:
        raise ValidationError({end_field: _("结束日期不能早于开始日期")})


def _choice(value: str, choices: Iterable[str], field: str) -> str:
    if value not in choices:
        raise ValidationError({field: _("无效的选项：%(v)s") % {"v": value}})
    return value


def _resident(user: User | None, person: Person, field: str = "person") -> None:
    require_visible(user, person, field)
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({field: _("该居民不在册")})


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _paid(value: Decimal | int | str | None, field: str) -> Decimal:
    """A required amount of money, 0 or more."""
    amount = _pay(value, field, required=True)
    assert amount is not None  # required: _pay raised otherwise
    return amount


def _pay(value: Decimal | int | str | None, field: str, *, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("请填写此项")})
        return None
    amount = money(value, field=field)
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数")})
    return amount
