"""The forms of 政策找人: a policy put into effect, its revocation, the applications' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm
from wushe.core.listing import ListFilterForm
from wushe.registry.subjects import SubjectFields

from .models import Policy
from .selectors import ApplicationFilters


class ApplicationForm(StyledForm):
    applied_on = forms.DateField(label=_("落实日期"), widget=DateInput(), initial=today)
    benefit = forms.CharField(label=_("落实内容（不填则按政策的享受内容）"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("金额（元，可不填）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class RevokeForm(StyledForm):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)


class ApplicationFilterForm(ListFilterForm, SubjectFields):
    policy = forms.ModelChoiceField(label=_("政策"), queryset=Policy.objects.all(), required=False)
    start = forms.DateField(label=_("落实日期从"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("至"), widget=DateInput(), required=False)
    filters_arg = "filters"

    def to_filters(self, data: dict[str, Any]) -> ApplicationFilters:
        policy = data.get("policy")
        return ApplicationFilters(
            policy=policy.pk if policy is not None else None,
            start=data.get("start"),
            end=data.get("end"),
            subject=self.subject_of(data),
        )
