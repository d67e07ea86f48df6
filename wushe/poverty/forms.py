"""The poverty work's forms: a household check, a lead and its step, a measure, a month's income,
a warning's confirmation or dismissal, a booklet batch; and the lists' filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm, region_pk_choices
from wushe.core.listing import ListFilterForm
from wushe.core.models import Region
from wushe.core.web import by_pk
from wushe.partners.models import ResponsibilityUnit
from wushe.registry.models import Person

from .models import (
    STEPS,
    DibaoOutcome,
    HousingGrade,
    LeadSource,
    MeasureKind,
    ObjectKind,
    ObjectStatus,
    RiskType,
    WarningStatus,
)
from .services.checks import CHECKED_ITEMS, ItemInput


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class CheckForm(StyledForm):
    checked_on = forms.DateField(label=_("核查日期"), widget=DateInput(), initial=today)
    members = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=99)
    income = forms.DecimalField(label=_("家庭年纯收入（元）"), max_digits=12, decimal_places=2, min_value=0)
    main_earner = forms.ChoiceField(label=_("主要劳动力"), required=False)
    housing_grade = forms.ChoiceField(
        label=_("房屋安全等级"), choices=[("", "—"), *HousingGrade.choices], required=False
    )
    hollow_house = forms.BooleanField(label=_("空心房"), required=False)
    elderly_in_old_house = forms.BooleanField(label=_("老人独居老旧房屋"), required=False)
    serious_illness = forms.BooleanField(label=_("家中有人患重大疾病"), required=False)
    dibao_outcome = forms.ChoiceField(
        label=_("低保核对结果"), choices=[("", _("未核对")), *DibaoOutcome.choices], required=False
    )
    dibao_reason = forms.CharField(
        label=_("低保核对说明（调整或退出须填写）"), max_length=200, required=False
    )
    unit = forms.ChoiceField(label=_("未达标项目的责任单位（不选则由就近单位负责）"), required=False)
    deadline = forms.DateField(label=_("办结期限（不填按项目默认）"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(
        self, *args: Any, members: Sequence[Person], units: Sequence[ResponsibilityUnit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        from .models import Item

        self.persons, self.units = list(members), list(units)
        _choices(self, "main_earner", [("", "—")] + [(str(p.pk), p.name) for p in self.persons])
        _choices(self, "unit", [("", "—")] + [(str(u.pk), u.name) for u in self.units])
        self.item_fields = []
        for item in CHECKED_ITEMS:
            failed = forms.BooleanField(label=_("%(i)s未达标") % {"i": Item(item).label}, required=False)
            finding = forms.CharField(
                label=_("%(i)s情况说明") % {"i": Item(item).label}, max_length=200, required=False
            )
            self.fields[f"{item}_failed"] = failed
            self.fields[f"{item}_finding"] = finding
            self.item_fields.append((f"{item}_failed", f"{item}_finding"))
        from wushe.core.forms import style

        style(self)

    def bound_items(self) -> list[tuple[Any, Any]]:
        return [(self[a], self[b]) for a, b in self.item_fields]

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        unit = by_pk(self.units, d.get("unit"))
        items = {
            item: ItemInput(
                passed=not d.get(f"{item}_failed"),
                finding=d.get(f"{item}_finding") or "",
                unit=unit,
                deadline=d.get("deadline"),
            )
            for item in CHECKED_ITEMS
        }
        return {
            "checked_on": d["checked_on"],
            "members": d["members"],
            "income": d["income"],
            "main_earner": by_pk(self.persons, d.get("main_earner")),
            "housing_grade": d.get("housing_grade") or "",
            "hollow_house": d.get("hollow_house", False),
            "elderly_in_old_house": d.get("elderly_in_old_house", False),
            "serious_illness": d.get("serious_illness", False),
            "dibao_outcome": d.get("dibao_outcome") or "",
            "dibao_reason": d.get("dibao_reason") or "",
            "note": d.get("note") or "",
            "items": items,
            "income_unit": unit,
        }


class LeadForm(StyledForm):
    source = forms.ChoiceField(label=_("线索来源"), choices=LeadSource.choices)
    kind = forms.ChoiceField(label=_("拟纳入类型"), choices=ObjectKind.choices)
    risk_type = forms.ChoiceField(label=_("风险类型"), choices=RiskType.choices)
    reason = forms.CharField(label=_("线索说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    raised_on = forms.DateField(label=_("线索日期"), widget=DateInput(), initial=today)


class StepForm(StyledForm):
    step = forms.ChoiceField(choices=[(s.value, s.label) for s in STEPS], widget=forms.HiddenInput)
    approved = forms.TypedChoiceField(
        label=_("结论"),
        choices=[("1", _("通过")), ("0", _("不通过"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    done_on = forms.DateField(label=_("办理日期"), widget=DateInput(), initial=today)
    notice_from = forms.DateField(label=_("公示开始"), widget=DateInput(), required=False)
    notice_to = forms.DateField(label=_("公示结束"), widget=DateInput(), required=False)
    no_labour = forms.BooleanField(label=_("无劳动能力"), required=False)
    note = forms.CharField(label=_("办理意见（不通过须填写）"), max_length=300, required=False)


class MeasureForm(StyledForm):
    kind = forms.ChoiceField(label=_("措施类型"), choices=MeasureKind.choices)
    description = forms.CharField(label=_("措施内容"), max_length=300)
    cadre = forms.CharField(label=_("责任帮扶干部"), max_length=50)
    started_on = forms.DateField(label=_("落实日期"), widget=DateInput(), initial=today)


class IncomeForm(StyledForm):
    month = forms.DateField(label=_("月份（任一天）"), widget=DateInput())
    income_per_person = forms.DecimalField(
        label=_("当月人均纯收入（元）"), max_digits=10, decimal_places=2, min_value=0
    )


class ConfirmForm(StyledForm):
    kind = forms.ChoiceField(label=_("拟纳入类型"), choices=ObjectKind.choices)
    risk_type = forms.ChoiceField(label=_("风险类型"), choices=RiskType.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class DismissForm(StyledForm):
    note = forms.CharField(label=_("排除原因"), max_length=300)


class BatchForm(StyledForm):
    region = forms.ChoiceField(label=_("网格/社区"))

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = list(regions)
        _choices(self, "region", region_pk_choices(self.regions))

    def region_obj(self) -> Region | None:
        found: Region | None = by_pk(self.regions, self.cleaned_data.get("region"))
        return found


# ---- list filters -----------------------------------------------------------------------------


class CheckFilter(ListFilterForm):
    household = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def to_filters(self, data: dict[str, Any]) -> int | None:
        value = data.get("household")
        return int(value) if value else None


class LeadFilter(ListFilterForm):
    overdue = forms.BooleanField(label=_("只看超期"), required=False)

    def to_filters(self, data: dict[str, Any]) -> bool:
        return bool(data.get("overdue"))


class ObjectFilter(ListFilterForm):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *ObjectStatus.choices], required=False
    )

    def to_filters(self, data: dict[str, Any]) -> str:
        return str(data.get("status") or "")


class WarningFilter(ListFilterForm):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *WarningStatus.choices], required=False
    )

    def to_filters(self, data: dict[str, Any]) -> str:
        return str(data.get("status") or "")
