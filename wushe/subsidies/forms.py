"""The subsidies' forms: an application, a step's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm

from .models import Applicant, Kind


class ApplicationForm(StyledForm):
    kind = forms.ChoiceField(label=_("补贴"), choices=Kind.choices)
    applicant = forms.ChoiceField(label=_("申请人"), choices=Applicant.choices, initial=Applicant.SELF)
    applicant_name = forms.CharField(
        label=_("申请人姓名（监护人代为申请时必填）"), max_length=50, required=False
    )
    bank_name = forms.CharField(label=_("开户银行"), max_length=60)
    bank_account = forms.CharField(
        label=_("银行账号"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applied_on = forms.DateField(label=_("申请日期"), widget=DateInput(), initial=today)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class StepForm(StyledForm):
    passed = forms.TypedChoiceField(
        label=_("意见"),
        choices=[("1", _("通过")), ("0", _("不通过"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    note = forms.CharField(label=_("说明（不通过时必填）"), max_length=300, required=False)
    publicity_days = forms.IntegerField(
        label=_("公示天数（初审时可选，0为不公示）"), min_value=0, max_value=30, required=False, initial=0
    )
