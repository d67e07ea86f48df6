"""The append-only ledger every area with money shares: fund accounts, donations, rental deposits.

A concrete ledger is a model inheriting :class:`LedgerEntry` and naming its account (a foreign
key to a fund, a rental …) and, to be scoped, its ``scope_region_field``::

    class FundEntry(LedgerEntry):
        fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
        scope_region_field = "fund__region"

Entries are never updated or deleted (``core.appendonly``): a correction is a reversing entry
(:func:`ledger_reverse`) that names what it reverses, and the original stays. Money is
``Decimal`` with two places, never ``float``; balances are summed in the database.

The helpers below write without checking permissions: the area's service that calls them checks
who may post (and holds the row lock of the account when a balance must not go below zero).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .appendonly import AppendOnlyModel, AppendOnlyQuerySet
from .history import actor
from .scoping import ScopedQuerySet

if TYPE_CHECKING:
    from .types import User

E = TypeVar("E", bound=models.Model)

MAX_DIGITS = 14  # up to 999,999,999,999.99 yuan
CENTS = Decimal("0.01")
ZERO = Decimal("0.00")
_MONEY: models.DecimalField[Any, Any] = models.DecimalField(
    max_digits=MAX_DIGITS + 4, decimal_places=2
)  # a sum


# django-stubs gives each queryset class's as_manager() a manager type of its own, so the two bases'
# as_manager() look incompatible to it
class LedgerQuerySet(AppendOnlyQuerySet[E], ScopedQuerySet[E]):  # type: ignore[override]
    """Refuses bulk update and delete; scoped (``visible_to``) when the model names its region."""

    def balance(self, as_of: datetime.date | None = None) -> Decimal:
        return balance(self, as_of=as_of)


class LedgerEntry(AppendOnlyModel):
    """One movement of money on an account: positive in, negative out."""

    amount = models.DecimalField(_l("金额（元）"), max_digits=MAX_DIGITS, decimal_places=2)
    entry_type = models.CharField(_l("类型"), max_length=30)
    occurred_on = models.DateField(_l("发生日期"), db_index=True)
    recorded_at = models.DateTimeField(_l("记账时间"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_l("记账人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    memo = models.CharField(_l("摘要"), max_length=200, blank=True)
    # a reversing entry names the entry it reverses; one-to-one: an entry is reversed at most once
    reverses = models.OneToOneField(
        "self",
        verbose_name=_l("冲正的分录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )

    objects = LedgerQuerySet.as_manager()
    append_only_label = "ledger entries"

    class Meta:
        abstract = True
        ordering = ["occurred_on", "id"]
        base_manager_name = "objects"  # related managers get the guards too

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.entry_type} {self.amount}"


L = TypeVar("L", bound=LedgerEntry)  # a concrete ledger, for the helpers below

# the fields every ledger has; the rest (the account, its region …) are copied onto a reversal
_BASE_FIELDS = frozenset(
    {"id", "amount", "entry_type", "occurred_on", "recorded_at", "recorded_by", "memo", "reverses"}
)


def money(value: Any, *, field: str = "amount") -> Decimal:
    """``value`` as a Decimal of two places; a float, more than two places or a non-number is
    refused (a float has already lost the cents it was meant to carry)."""
    if isinstance(value, (bool, float)):
        raise ValidationError({field: _("金额须为精确小数，不能是浮点数")})
    try:
        amount = Decimal(value) if isinstance(value, (int, str)) else value
    except ArithmeticError:
        amount = None
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationError({field: _("金额不是有效的数字")})
    if amount != amount.quantize(CENTS):
        raise ValidationError({field: _("金额最多两位小数")})
    if abs(amount) >= Decimal(10) ** (MAX_DIGITS - 2):
        raise ValidationError({field: _("金额过大")})
    return amount.quantize(CENTS)


@transaction.atomic
def ledger_post(
    *,
    model: type[L],
    acting_user: User | None,
    amount: Decimal | int | str,
    entry_type: str,
    occurred_on: datetime.date,
    memo: str = "",
    **account: Any,
) -> L:
    """Append one entry; ``account`` holds the concrete model's own fields (``fund=…``)."""
    value = money(amount)
    if value == 0:
        raise ValidationError({"amount": _("金额不能为零")})
    if not entry_type:
        raise ValidationError({"entry_type": _("请填写分录类型")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("发生日期不能晚于今天")})
    return model._default_manager.create(  # type: ignore[return-value]  # the stubs give the base class
        amount=value,
        entry_type=entry_type,
        occurred_on=occurred_on,
        memo=memo.strip()[:200],
        recorded_by=actor(acting_user),
        **account,
    )


@transaction.atomic
def ledger_reverse(
    entry: L, *, acting_user: User | None, reason: str, occurred_on: datetime.date | None = None
) -> L:
    """Append the opposite of ``entry`` naming it; the original stays. A reversal is not reversed
    again (post a new entry instead) and an entry is reversed at most once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写冲正原因")})
    model = type(entry)
    # the lock makes two concurrent reversals of one entry wait for each other
    locked = model._default_manager.select_for_update().get(pk=entry.pk)
    if locked.reverses is not None:
        raise ValidationError({"entry": _("冲正分录不能再被冲正")})
    # the lookup by keyword dict: with a concrete ledger installed, django-stubs' plugin fails to
    # resolve the abstract base's "self" relation (ValueError: No primary key defined)
    if model._default_manager.filter(**{"reverses": locked}).exists():
        raise ValidationError({"entry": _("该分录已被冲正")})
    day = occurred_on or timezone.localdate()
    if day < locked.occurred_on:
        raise ValidationError({"occurred_on": _("冲正日期不能早于原分录")})
    copied = {
        f.attname: getattr(locked, f.attname)
        for f in model._meta.concrete_fields
        if f.name not in _BASE_FIELDS and not f.primary_key
    }
    try:
        with transaction.atomic():
            copied["reverses"] = locked  # through the dict: see the lookup above
            return model._default_manager.create(  # type: ignore[return-value]  # the stubs give the base class
                amount=-locked.amount,
                entry_type=locked.entry_type,
                occurred_on=day,
                memo=reason[:200],
                recorded_by=actor(acting_user),
                **copied,
            )
    except IntegrityError:  # a concurrent reversal won the one-to-one
        raise ValidationError({"entry": _("该分录已被冲正")}) from None


def balance(queryset: models.QuerySet[Any], as_of: datetime.date | None = None) -> Decimal:
    """The sum of ``queryset``'s amounts (up to and including ``as_of``), summed by the database."""
    if as_of is not None:
        queryset = queryset.filter(occurred_on__lte=as_of)
    total = queryset.aggregate(total=Coalesce(Sum("amount", output_field=_MONEY), ZERO, output_field=_MONEY))
    return Decimal(total["total"]).quantize(CENTS)


Period = Literal["month", "quarter", "year"]
_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


class PeriodBalance(NamedTuple):
    start: datetime.date  # the first day of the month, quarter or year
    opening: Decimal
    inflow: Decimal  # the positive entries of the period
    outflow: Decimal  # the negative entries, as a positive number
    closing: Decimal


def balances_by_period(
    queryset: models.QuerySet[Any], period: Period = "month", *, opening: Decimal = ZERO
) -> list[PeriodBalance]:
    """Per period with entries, in order: opening, in, out and closing (summed in the database;
    the running balance adds Decimals). ``opening`` is the balance before the first entry of
    ``queryset`` (e.g. :func:`balance` of the entries before a statement's first day)."""
    if period not in _TRUNC:
        raise ValueError(f"period must be one of {sorted(_TRUNC)}")
    rows = (
        queryset.order_by()
        .annotate(period_start=_TRUNC[period]("occurred_on", output_field=models.DateField()))
        .values("period_start")
        .annotate(
            inflow=Coalesce(
                Sum("amount", filter=Q(amount__gt=0), output_field=_MONEY), ZERO, output_field=_MONEY
            ),
            outflow=Coalesce(
                Sum("amount", filter=Q(amount__lt=0), output_field=_MONEY), ZERO, output_field=_MONEY
            ),
        )
        .order_by("period_start")
    )
    result: list[PeriodBalance] = []
    running = money(opening, field="opening")
    for row in rows:
        inflow, outflow = Decimal(row["inflow"]).quantize(CENTS), -Decimal(row["outflow"]).quantize(CENTS)
        closing = running + inflow - outflow
        result.append(PeriodBalance(row["period_start"], running, inflow, outflow, closing))
        running = closing
    return result
