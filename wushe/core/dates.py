"""Every date wushe accepts is bounded: forms, API schemas and query strings share these.

``0001-01-01`` and ``9999-12-31`` are valid ``date`` values, but a period from year 1 made the
dashboard, the screen, the drill-downs, the work report and ``GET /api/v1/stats`` answer 500
(the period before it is year 0), and cases and activities of year 1 were stored. Ranges:

- ``ANY``: 1900-01-01 … 2100-12-31, the default for every date (periods, deadlines, validity);
- ``EVENT``: something that happened or is planned — a visit, a service, an activity, a case
  step: not before 1949-01-01 and not more than a year ahead;
- ``BIRTH``: 1900-01-01 … today.

Each refusal names the field and the range, Chinese first with English.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from pydantic import AfterValidator

Bound = datetime.date | Callable[[], datetime.date]


def _today() -> datetime.date:
    return timezone.localdate()


def _a_year_ahead() -> datetime.date:
    return _today() + datetime.timedelta(days=366)


@dataclass(frozen=True)
class DateRange:
    earliest: Bound
    latest: Bound

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        lo = self.earliest() if callable(self.earliest) else self.earliest
        hi = self.latest() if callable(self.latest) else self.latest
        return lo, hi

    def message(self, field: str = "") -> str:
        lo, hi = self.bounds()
        prefix = f"{field}：" if field else ""
        return f"{prefix}日期须在 {lo.isoformat()} 至 {hi.isoformat()} 之间 / date must be between {lo.isoformat()} and {hi.isoformat()}"

    def contains(self, day: datetime.date) -> bool:
        lo, hi = self.bounds()
        return lo <= day <= hi

    def check(self, day: datetime.date | None, field: str = "") -> datetime.date | None:
        """``day`` unchanged, or ValidationError naming ``field`` and the range."""
        if day is not None and not self.contains(day):
            raise ValidationError(self.message(field), code="date_range")
        return day


ANY = DateRange(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
EVENT = DateRange(datetime.date(1949, 1, 1), _a_year_ahead)
BIRTH = DateRange(datetime.date(1900, 1, 1), _today)


def bounded_date(text: str | None, *, field: str = "", within: DateRange = ANY) -> datetime.date | None:
    """A YYYY-MM-DD query-string or option value as a date in range; None for an empty value;
    ValidationError naming the field otherwise (never ValueError, never a 500)."""
    if text is None or not str(text).strip():
        return None
    try:
        day = datetime.date.fromisoformat(str(text).strip())
    except ValueError:
        prefix = f"{field}：" if field else ""
        raise ValidationError(
            f"{prefix}日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD", code="invalid"
        ) from None
    return within.check(day, field)


class BoundedDateField(forms.DateField):
    """A form DateField whose value must lie in ``within`` (``ANY`` unless given); the browser's
    date picker gets its fixed bounds as ``min``/``max``."""

    def __init__(self, *args: Any, within: DateRange = ANY, **kwargs: Any) -> None:
        self.within = within
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # only fixed bounds: the field is built once, "today" would be the day the server started
        for attr, bound in (("min", self.within.earliest), ("max", self.within.latest)):
            if isinstance(bound, datetime.date):
                attrs.setdefault(attr, bound.isoformat())
        return attrs

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            self.within.check(value, str(self.label or ""))


def _pydantic(within: DateRange) -> Callable[[datetime.date], datetime.date]:
    def check(day: datetime.date) -> datetime.date:
        if not within.contains(day):
            raise ValueError(within.message())
        return day

    return check


# API schema types (django-ninja / pydantic): the 422 names the field in ``loc``.
Date = Annotated[datetime.date, AfterValidator(_pydantic(ANY))]
EventDate = Annotated[datetime.date, AfterValidator(_pydantic(EVENT))]
BirthDate = Annotated[datetime.date, AfterValidator(_pydantic(BIRTH))]
