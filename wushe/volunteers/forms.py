"""Forms of the volunteer pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.forms import DateInput, StyledForm

from .models import ServiceKind


class VolunteerForm(StyledForm):
    team = forms.ChoiceField(label=_("志愿服务队"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    joined_on = BoundedDateField(within=EVENT, label=_("加入日期"), widget=DateInput())
    skills = forms.CharField(label=_("服务特长"), required=False, max_length=200)

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(str(t.pk), str(t)) for t in teams]  # type: ignore[attr-defined]


class RecordForm(StyledForm):
    on = BoundedDateField(within=EVENT, label=_("服务日期"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("服务时长（小时）"),
        max_digits=4,
        decimal_places=1,
        min_value=0.1,
        max_value=24,
        help_text=_("实际服务时间，不含路途"),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    kind = forms.ChoiceField(label=_("服务类型"), choices=ServiceKind.choices)
    content = forms.CharField(label=_("服务内容"), max_length=200)
    beneficiary = forms.CharField(label=_("服务对象"), required=False, max_length=100)
    recipient = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .services import day_limits

        maximum, warn = day_limits()
        self.fields["hours"].help_text = _(
            "实际服务时间，不含路途；每人每日合计不超过%(max)s小时，超过%(warn)s小时会提示核对"
        ) % {"max": maximum, "warn": warn}


class VerifyForm(StyledForm):
    approve = forms.TypedChoiceField(
        label=_("核实结果"), choices=[("1", _("通过")), ("0", _("不通过"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("核实意见"), required=False, max_length=200)


class ProofForm(StyledForm):
    period_start = BoundedDateField(label=_("起始日期"), required=False, widget=DateInput())
    period_end = BoundedDateField(label=_("截止日期"), required=False, widget=DateInput())
