"""Scoped reads of the reports app: the figures counted ahead of time."""

from __future__ import annotations

import datetime

from wushe.core.models import Region

from .models import FigureSnapshot
from .periods import Period


def stored_figures(
    *, region: Region, period: Period, as_of: datetime.date, language: str
) -> FigureSnapshot | None:
    """The region's stored dashboard over ``period`` counted on ``as_of``, if any. Unscoped: the
    caller shows it only to a user whose grants cover the region (``dashboard.served``)."""
    return FigureSnapshot.objects.filter(
        region=region, start=period.start, end=period.end, as_of=as_of, language=language
    ).first()
