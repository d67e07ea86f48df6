"""The poverty work's configuration: the income threshold of each province and year, with the
margin above it that counts as stable. A province and year without a row take the latest earlier
year of the province, else ``WUSHE_POVERTY_THRESHOLD`` (6,000 元, the 2021 floor) and
``WUSHE_POVERTY_MARGIN_PERCENT`` (10 %). The lead deadline (15 calendar days), the 公示's
length (5 days) and the months of monitoring before elimination (6) are the settings
``WUSHE_MONITORING_DEADLINE_DAYS``, ``WUSHE_MONITORING_NOTICE_DAYS``, ``WUSHE_MONITORING_MONTHS``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register
from wushe.core.models import Region

from .models import Threshold

register(
    ConfigSection(
        key="poverty-thresholds",
        title=_("防返贫监测收入标准"),
        model=Threshold,
        fields=("province", "year", "amount", "margin_percent"),
        help=_("各省每年确定的监测收入标准（元/人/年）；人均收入须高出标准该比例才算稳定"),
    )
)


def threshold_for(region: Region, year: int) -> tuple[Decimal, Decimal]:
    """The threshold (元 per person per year) and the stable margin (a fraction, 0.10) for a
    region's province in a year."""
    row = Threshold.objects.filter(province=region.code[:2], year__lte=year).order_by("-year").first()
    if row is not None:
        return row.amount, row.margin_percent / 100
    amount = Decimal(str(getattr(settings, "WUSHE_POVERTY_THRESHOLD", "6000")))
    margin = Decimal(str(getattr(settings, "WUSHE_POVERTY_MARGIN_PERCENT", "10")))
    return amount, margin / 100


def stable_line(region: Region, year: int) -> Decimal:
    """The per-person annual income above which a household counts as stable."""
    amount, margin = threshold_for(region, year)
    return (amount * (1 + margin)).quantize(Decimal("0.01"))


def deadline_days() -> int:
    return int(getattr(settings, "WUSHE_MONITORING_DEADLINE_DAYS", 15))


def notice_days() -> int:
    return int(getattr(settings, "WUSHE_MONITORING_NOTICE_DAYS", 5))


def months_required() -> int:
    return int(getattr(settings, "WUSHE_MONITORING_MONTHS", 6))


def lookback_days() -> int:
    """How far back a warning rule looks for new records (a daily run looks at a month, so a
    missed day loses nothing; each record warns once)."""
    return int(getattr(settings, "WUSHE_WARNING_LOOKBACK_DAYS", 30))


def deadline_from(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=deadline_days())
