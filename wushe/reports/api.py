"""Figures of a region through the metric registry."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from wushe.core.dates import Date
from wushe.core.metrics import Scope, as_json_values, compute
from wushe.core.selectors import region_resolve, region_roots_for_user
from wushe.registry.api import ErrorOut

router = Router(tags=["reports"])

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value: Any) -> Any:
    """Pydantic's lax mode reads ``0`` or ``1700000000`` as a Unix time; a date here is YYYY-MM-DD."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("date must be YYYY-MM-DD / 日期格式应为 YYYY-MM-DD")
    return value


IsoDate = Annotated[Date, BeforeValidator(_iso_date_text)]  # and 1900-01-01 … 2100-12-31


class RegionRef(Schema):
    code: str
    name: str


class PeriodOut(Schema):
    from_: datetime.date | None = Field(None, alias="from")
    to: datetime.date | None = None


class StatsOut(Schema):
    region: RegionRef
    period: PeriodOut
    # a rate is null when the period has no data for its denominator
    metrics: dict[str, float | int | None]


@router.get(
    "/stats",
    response={200: StatsOut, 404: ErrorOut, 422: ErrorOut},
    summary="Figures of a region in the caller's scope",
    by_alias=True,
)
def stats(
    request: HttpRequest,
    region: str = Query("", max_length=15),
    from_: IsoDate | None = Query(None, alias="from"),
    to: IsoDate | None = Query(None),
) -> Any:
    if region:
        try:
            target = region_resolve(code_or_name=region, user=request.user)
        except Http404:
            raise Http404 from None
    else:
        roots = region_roots_for_user(user=request.user)
        if not roots:
            raise ValidationError({"region": _("请指定区域")})
        target = roots[0]
    if from_ and to and from_ > to:
        raise ValidationError({"from": _("起始日期不能晚于终止日期")})
    figures = compute(Scope(region=target, user=request.user, start=from_, end=to))
    return {
        "region": {"code": target.code, "name": target.name},
        "period": {"from": from_, "to": to},
        "metrics": as_json_values(figures),
    }
