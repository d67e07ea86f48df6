"""The rental forms: lending an item, renewing, returning, moving an item on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm, set_choices, set_queryset
from wushe.core.scoping import visible_or_above
from wushe.partners.models import Organization

from . import selectors
from .models import Condition, Item, ItemStatus

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


class RentalForm(StyledForm):
    item = forms.ModelChoiceField(label=_("器具（在库）"), queryset=Item.objects.none())
    assessed_by = forms.ModelChoiceField(label=_("评估机构"), queryset=Organization.objects.none())
    assessed_on = forms.DateField(label=_("评估日期"), widget=DateInput(), initial=today)
    assessment = forms.CharField(
        label=_("评估意见"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    started_on = forms.DateField(label=_("起租日期"), widget=DateInput(), initial=today)
    due_on = forms.DateField(label=_("应还日期（不填按类别租期）"), widget=DateInput(), required=False)
    deposit = forms.DecimalField(
        label=_("押金（元，不填按类别标准）"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    monthly_rent = forms.DecimalField(
        label=_("月租金（元，不填按类别标准）"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    waive_deposit = forms.BooleanField(label=_("免押金（低保、特困自动免收）"), required=False)
    waiver_reason = forms.CharField(label=_("免押原因"), max_length=100, required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stock = selectors.item_list(user=user, filters=selectors.ItemFilters(status=ItemStatus.IN_STOCK))
        set_queryset(self, "item", stock)
        set_queryset(self, "assessed_by", visible_or_above(Organization.objects.all(), user).order_by("name"))


class RenewForm(StyledForm):
    due_on = forms.DateField(label=_("新应还日期"), widget=DateInput())


class ReturnForm(StyledForm):
    returned_on = forms.DateField(label=_("归还日期"), widget=DateInput(), initial=today)
    condition = forms.ChoiceField(label=_("归还状况"), choices=Condition.choices)
    note = forms.CharField(label=_("归还说明"), max_length=200, required=False)
    deduction = forms.DecimalField(
        label=_("押金抵扣损坏赔偿（元）"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        initial=0,
        required=False,
    )


class AdvanceForm(StyledForm):
    to_status = forms.ChoiceField(label=_("转为"), choices=())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        from .services import NEXT_STATUS

        super().__init__(*args, **kwargs)
        set_choices(self, "to_status", [(s, ItemStatus(s).label) for s in NEXT_STATUS.get(item.status, ())])
