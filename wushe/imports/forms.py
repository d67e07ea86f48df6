"""Forms of the import pages: upload, column mapping."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import BoundedDateField
from wushe.core.forms import BootstrapMixin, region_choices, set_choices
from wushe.core.models import Region

from .selectors import field_choices

ACCEPT = ".xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv"


class UploadForm(BootstrapMixin, forms.Form):
    region = forms.ChoiceField(label=_("导入到哪个区域"), help_text=_("台账中的社区、网格须在此区域内"))
    file = forms.FileField(
        label=_("台账文件"),
        help_text=_("Excel 工作簿（.xlsx、.xls）或 CSV 文件（UTF-8 或 GB18030 编码）"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    as_of = BoundedDateField(
        label=_("台账日期"),
        required=False,
        help_text=_("台账是哪天的情况；登记库中在这天之后修改过的档案不会被覆盖。不填则为今天"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        set_choices(self, "region", region_choices(regions))
        self._style()

    def clean_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]

    def as_of_datetime(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("as_of")
        if not day:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


class MappingForm(forms.Form):
    """One select per column of the file: which field it holds, or nothing."""

    def __init__(
        self, *args: Any, headers: list[str], mapping: list[str], samples: list[list[str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("（不导入）")), *field_choices()]
        self.columns = []
        for i, header in enumerate(headers):
            name = f"col_{i}"
            label = header or _("第%(n)d列（无表头）") % {"n": i + 1}
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=mapping[i] if i < len(mapping) else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            example = "、".join(s[i] for s in samples if i < len(s) and s[i])
            self.columns.append({"field": self[name], "example": example})

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{i}", "") or "" for i in range(len(self.columns))]
