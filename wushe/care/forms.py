"""The care plans' forms: a plan (with one row per service category), a service record, a carer's
training."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm, set_queryset
from wushe.core.scoping import visible_or_above
from wushe.partners.models import Organization

from .models import PlanKind, Satisfaction, SelfCare, ServiceType
from .services import ServiceLine, parse_months

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


class PlanForm(StyledForm):
    kind = forms.ChoiceField(label=_("项目类型"), choices=PlanKind.choices)
    self_care = forms.ChoiceField(label=_("自理能力"), choices=SelfCare.choices)
    needs = forms.CharField(
        label=_("照护需求评估"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    assessed_on = forms.DateField(label=_("评估日期"), widget=DateInput(), initial=today)
    provider = forms.ModelChoiceField(label=_("服务机构"), queryset=Organization.objects.none())
    workers = forms.CharField(label=_("服务人员"), max_length=200)
    started_on = forms.DateField(label=_("开始日期"), widget=DateInput(), initial=today)
    review_on = forms.DateField(label=_("复评日期"), widget=DateInput())

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "provider", visible_or_above(Organization.objects.all(), user).order_by("name"))
        self.types = list(ServiceType.objects.filter(active=True))
        for t in self.types:
            self.fields[f"times_{t.code}"] = forms.IntegerField(
                label=_("%(t)s：每月次数") % {"t": t.label}, min_value=1, max_value=62, required=False
            )
            self.fields[f"months_{t.code}"] = forms.CharField(
                label=_("%(t)s：服务月份（不填为每月）") % {"t": t.label}, max_length=40, required=False
            )

    def service_lines(self) -> list[ServiceLine]:
        lines = []
        for t in self.types:
            times = self.cleaned_data.get(f"times_{t.code}")
            if times:
                months = parse_months(self.cleaned_data.get(f"months_{t.code}") or "", f"months_{t.code}")
                lines.append(ServiceLine(t, times, months))
        return lines


class RecordForm(StyledForm):
    service_type = forms.ModelChoiceField(label=_("服务类别"), queryset=ServiceType.objects.none())
    served_on = forms.DateField(label=_("服务日期"), widget=DateInput(), initial=today)
    minutes = forms.IntegerField(label=_("服务时长（分钟）"), min_value=1, max_value=1440)
    worker = forms.CharField(label=_("服务人员"), max_length=50)
    content = forms.CharField(label=_("服务内容"), max_length=200, required=False)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "service_type", ServiceType.objects.filter(active=True))


class TrainingForm(StyledForm):
    trained_on = forms.DateField(label=_("培训日期"), widget=DateInput(), initial=today)
    carer = forms.CharField(label=_("家庭照护者"), max_length=50)
    topic = forms.CharField(label=_("培训内容"), max_length=200)
    hours = forms.DecimalField(label=_("学时"), max_digits=4, decimal_places=1, min_value=0)
    trainer = forms.CharField(label=_("培训人"), max_length=50)
