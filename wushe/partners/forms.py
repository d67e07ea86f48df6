"""Forms of the partners pages: the resource form and the list filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import BoundedDateField
from wushe.core.forms import BootstrapMixin, DateInput, region_choices, set_choices
from wushe.core.listing import ListFilterForm
from wushe.needs.selectors import category_list
from wushe.registry.models import DisabilityCategory, DisabilityLevel, Tag

from .models import OrganizationKind, ResourceKind
from .selectors import OrganizationFilters, ResourceFilters

if TYPE_CHECKING:
    pass


class ResourceForm(BootstrapMixin, forms.Form):
    provider = forms.ChoiceField(label=_("提供方"))
    name = forms.CharField(label=_("资源名称"), max_length=100)
    kind = forms.ChoiceField(label=_("资源类型"), choices=ResourceKind.choices)
    region = forms.ChoiceField(label=_("服务区域"))
    categories = forms.MultipleChoiceField(label=_("服务的需求类别"), widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("容量（人次）"), min_value=1, max_value=1_000_000)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    available_from = BoundedDateField(label=_("可用起始日期"), required=False, widget=DateInput())
    available_to = BoundedDateField(label=_("可用截止日期"), required=False, widget=DateInput())
    age_min = forms.IntegerField(label=_("服务对象最小年龄"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=_("服务对象最大年龄"), required=False, min_value=0, max_value=150)
    disability_categories = forms.TypedMultipleChoiceField(
        label=_("服务的残疾类别（不选为不限）"),
        required=False,
        coerce=int,
        choices=DisabilityCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    disability_levels = forms.TypedMultipleChoiceField(
        label=_("服务的残疾等级（不选为不限）"),
        required=False,
        coerce=int,
        choices=DisabilityLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    target_tags = forms.MultipleChoiceField(
        label=_("服务的人员类别（不选为不限）"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, providers: list[Any], regions: list[Any], categories: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "target_tags", [(t.code, t.name) for t in Tag.objects.order_by("sort", "code")])
        self._providers = {str(o.pk): o for o in providers}
        self._regions = {r.code: r for r in regions}
        set_choices(self, "provider", [("", "—"), *((str(o.pk), o.name) for o in providers)])
        set_choices(self, "region", [("", "—"), *region_choices(regions)])
        set_choices(self, "categories", [(c.code, c.label) for c in categories])
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("available_from")
            and data.get("available_to")
            and data["available_to"] < data["available_from"]
        ):
            self.add_error("available_to", _("可用截止日期不能早于起始日期"))
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and high < low:
            self.add_error("age_max", _("最大年龄不能小于最小年龄"))
        return data

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["provider"] = self._providers[d["provider"]]
        d["region"] = self._regions[d["region"]]
        return d


class ResourceFilterForm(ListFilterForm):
    q = forms.CharField(label=_("检索"), required=False, max_length=60)
    category = forms.ChoiceField(label=_("需求类别"), required=False)
    kind = forms.ChoiceField(
        label=_("资源类型"), required=False, choices=[("", _("全部")), *ResourceKind.choices]
    )
    available = forms.BooleanField(label=_("只看有剩余容量的"), required=False)
    attention = forms.BooleanField(label=_("只看已用完或即将到期的"), required=False)

    def setup(self, user: Any) -> None:
        set_choices(self, "category", [("", _("全部")), *((c.code, c.label) for c in category_list())])

    def to_filters(self, data: dict[str, Any]) -> ResourceFilters:
        return ResourceFilters(
            q=data.get("q", ""),
            category=data.get("category", ""),
            kind=data.get("kind", ""),
            available=bool(data.get("available")),
            attention=bool(data.get("attention")),
        )


class OrganizationFilterForm(ListFilterForm):
    q = forms.CharField(label=_("检索"), required=False, max_length=60)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *OrganizationKind.choices]
    )

    def to_filters(self, data: dict[str, Any]) -> OrganizationFilters:
        return OrganizationFilters(q=data.get("q", ""), kind=data.get("kind", ""))
