"""The one filter definition of the dashboard, drill-down and work report: a region and a period."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import BoundedDateField
from wushe.core.forms import BootstrapMixin, DateInput, region_choices
from wushe.core.models import Region

from .periods import Period, this_year


class PeriodForm(BootstrapMixin, forms.Form):
    """``?region=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD``; without dates, this year up to today."""

    def __init__(self, data: Any = None, *, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["region"] = forms.ChoiceField(label=_("区域"), choices=region_choices(regions))
        self.fields["from"] = BoundedDateField(
            label=_("起始日期"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"]
        )
        self.fields["to"] = BoundedDateField(
            label=_("终止日期"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"]
        )
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("from", _("起始日期不能晚于终止日期"))
        return data

    def period(self, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        default = this_year(today)
        start = self.cleaned_data.get("from") or (default.start if not self.cleaned_data.get("to") else None)
        end = self.cleaned_data.get("to") or today
        if start is None:  # only an end day: the year up to it
            start = end.replace(month=1, day=1)
        return Period(start, max(start, end))
