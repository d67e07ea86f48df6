"""Pure helpers of the funds: approval thresholds per street (configuration, with defaults) and
how a request counts as approved."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from wushe.core.models import Region, RegionLevel

from .models import FundRule

DEFAULT_CHAIR_ALONE_BELOW = Decimal("2000.00")
DEFAULT_STREET_APPROVAL_ABOVE = Decimal("50000.00")


def street_of(region: Region) -> Region | None:
    node: Region | None = region
    while node is not None and node.level != RegionLevel.STREET:
        node = node.parent
    return node


def thresholds(region: Region) -> tuple[Decimal, Decimal]:
    """(chair alone below, street approval above) for the street ``region`` lies in."""
    street = street_of(region)
    rule = FundRule.objects.filter(region=street).first() if street is not None else None
    if rule is not None:
        return rule.chair_alone_below, rule.street_approval_above
    return (
        Decimal(str(getattr(settings, "WUSHE_FUND_CHAIR_ALONE_BELOW", DEFAULT_CHAIR_ALONE_BELOW))),
        Decimal(str(getattr(settings, "WUSHE_FUND_STREET_APPROVAL_ABOVE", DEFAULT_STREET_APPROVAL_ABOVE))),
    )


def committee_ok(
    *, members: int, approvals: int, chair_approved: bool, amount: Decimal, chair_below: Decimal
) -> bool:
    """A majority of the members, or the chair alone below the threshold."""
    if amount < chair_below and chair_approved:
        return True
    return members > 0 and approvals * 2 > members
