"""What every app's API shares: the error body, the strict body types, the permission check and
the region a caller names (resolved in the caller's scope). No ``from __future__ import
annotations``: django-ninja reads the annotations at import time."""

import datetime
import re
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator

from wushe.core import dates
from wushe.core.selectors import region_resolve

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Dates are ``YYYY-MM-DD`` (pydantic's lax mode would read ``0`` as a Unix time)."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("date must be YYYY-MM-DD / 日期格式应为 YYYY-MM-DD")
    return value


Date = Annotated[dates.Date, BeforeValidator(_iso_date)]  # 1900-01-01 … 2100-12-31
# a case step, service, session, activity: not before 1949, at most a year ahead
EventDate = Annotated[dates.EventDate, BeforeValidator(_iso_date)]
# body fields: no coercion ("5" is not an id, "yes" is not true), as the schema says
Id = Annotated[int, Field(strict=True, ge=1, le=2**63 - 1)]
Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Flag = Annotated[bool, Field(strict=True)]


class ErrorOut(Schema):
    detail: Any


def require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def region_for(request: HttpRequest, code: str, field: str = "region") -> Any:
    try:
        return region_resolve(code_or_name=code, user=request.user)
    except Http404:
        raise ValidationError({field: _("区域代码 %(c)s 不存在或不在您的管辖范围内") % {"c": code}}) from None
