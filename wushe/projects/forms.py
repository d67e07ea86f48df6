"""The project form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import BoundedDateField
from wushe.core.forms import BootstrapMixin, DateInput, region_choices, set_choices

from .models import ProjectKind


class ProjectForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    kind = forms.ChoiceField(label=_("项目类型"), choices=ProjectKind.choices)
    region = forms.ChoiceField(label=_("实施区域"))
    organization = forms.ChoiceField(label=_("承接组织"))
    funding_source = forms.CharField(label=_("资金来源"), required=False, max_length=100)
    budget = forms.DecimalField(
        label=_("预算（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2, initial=Decimal("0")
    )
    start_on = BoundedDateField(label=_("开始日期"), widget=DateInput())
    end_on = BoundedDateField(label=_("结束日期"), widget=DateInput())
    target_group = forms.CharField(label=_("服务对象"), required=False, max_length=200)
    planned_indicators = forms.CharField(
        label=_("计划指标"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    categories = forms.MultipleChoiceField(
        label=_("服务的需求类别"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, regions: list[Any], organizations: list[Any], categories: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._regions = {r.code: r for r in regions}
        self._orgs = {str(o.pk): o for o in organizations}
        set_choices(self, "region", [("", "—"), *region_choices(regions)])
        set_choices(self, "organization", [("", "—"), *((str(o.pk), o.name) for o in organizations)])
        set_choices(self, "categories", [(c.code, c.label) for c in categories])
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", _("结束日期不能早于开始日期"))
        return data

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["region"] = self._regions[d["region"]]
        d["organization"] = self._orgs[d["organization"]]
        return d
