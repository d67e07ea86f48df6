"""The funds' forms: a donation, a disbursement request, a vote's rejection, a payment, a correction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm, set_queryset
from wushe.projects.models import Project

from .models import Channel, DonorDisplay, DonorKind, Fund

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


class DonationForm(StyledForm):
    donor_kind = forms.ChoiceField(label=_("捐赠人类型"), choices=DonorKind.choices)
    donor_name = forms.CharField(label=_("捐赠人（个人或单位名称）"), max_length=100, required=False)
    display = forms.ChoiceField(
        label=_("公示方式"), choices=DonorDisplay.choices, initial=DonorDisplay.MASKED
    )
    amount = forms.DecimalField(label=_("金额/估值（元）"), max_digits=14, decimal_places=2, min_value=0)
    donated_on = forms.DateField(label=_("捐赠日期"), widget=DateInput(), initial=today)
    channel = forms.ChoiceField(label=_("方式"), choices=Channel.choices)
    item = forms.CharField(label=_("捐赠物品/项目（物资必填）"), max_length=100, required=False)
    project = forms.ModelChoiceField(
        label=_("定向项目（可选）"), queryset=Project.objects.none(), required=False
    )
    receipt_number = forms.CharField(label=_("票据号码（不填则自动编号）"), max_length=30, required=False)

    def __init__(self, *args: Any, user: AnyUser, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "project", Project.objects.visible_to(user).order_by("name"))


class DisbursementForm(StyledForm):
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0)
    purpose = forms.CharField(label=_("用途"), max_length=200)
    project = forms.ModelChoiceField(label=_("项目"), queryset=Project.objects.none(), required=False)
    household = forms.IntegerField(
        label=_("受助家庭编号（或选项目）"), required=False, min_value=1, max_value=2**63 - 1
    )
    attachments = forms.CharField(label=_("附件说明"), widget=forms.Textarea, required=False, max_length=2000)

    def __init__(self, *args: Any, user: AnyUser, fund: Fund, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "project", Project.objects.visible_to(user).order_by("name"))


class RejectForm(StyledForm):
    reason = forms.CharField(label=_("驳回理由"), max_length=200)


class PayForm(StyledForm):
    method = forms.CharField(label=_("支付方式"), max_length=30, initial=_("银行转账"))
    voucher_number = forms.CharField(label=_("凭证号"), max_length=40)
    paid_on = forms.DateField(label=_("支付日期"), widget=DateInput(), initial=today)


class ReverseForm(StyledForm):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)
