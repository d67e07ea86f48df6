"""What the poverty api modules share."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router

router = Router(tags=["poverty"])


def yuan(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"
