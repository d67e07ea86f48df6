"""Balances of a fund by restriction, and the correction of an entry (a reversing entry)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.ledger import CENTS, ledger_reverse
from wushe.core.permissions import require_perm, require_region_in_scope

from ..models import Fund, FundEntry


def pool_balances(fund: Fund, as_of: datetime.date | None = None) -> dict[str, Decimal]:
    """Each restriction's balance ("" the unrestricted money), summed by the database."""
    qs = FundEntry.objects.filter(fund=fund)
    if as_of is not None:
        qs = qs.filter(occurred_on__lte=as_of)
    rows = qs.order_by().values("pool").annotate(total=Sum("amount"))
    return {r["pool"]: Decimal(r["total"] or 0).quantize(CENTS) for r in rows}


@transaction.atomic
def entry_reverse(
    *, acting_user: User | None, entry: FundEntry, reason: str, occurred_on: datetime.date | None = None
) -> FundEntry:
    """A correction: the opposite entry naming the original, which stays. A reversal that would
    take the fund (or the entry's restriction) below zero is refused."""
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, entry.fund.region, field="entry")
    from .funds import lock_fund

    fund = lock_fund(entry.fund)
    if entry.amount > 0:
        pools = pool_balances(fund)
        if pools.get(entry.pool, Decimal(0)) < entry.amount:
            raise ValidationError({"amount": _("冲正后基金余额将为负数，请先冲正相关支出")})
    return ledger_reverse(entry, acting_user=acting_user, reason=reason, occurred_on=occurred_on)
