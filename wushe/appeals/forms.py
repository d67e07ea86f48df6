"""Forms of the studio and request pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.forms import StyledForm, region_pk_choices, set_choices
from wushe.core.listing import ListFilterForm
from wushe.core.models import Region, Satisfaction
from wushe.registry.subjects import SubjectFields

from .models import Category, Channel, ReturnOutcome, Step, TeamKind
from .selectors import AppealFilters


class AppealFilterForm(ListFilterForm, SubjectFields):
    q = forms.CharField(label=_("诉求编号、诉求人或内容"), required=False, max_length=60)
    step = forms.ChoiceField(label=_("当前步骤"), required=False, choices=[("", _("全部")), *Step.choices])
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *Category.choices]
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    mine = forms.BooleanField(label=_("只看等我办理的"), required=False)
    return_due = forms.BooleanField(label=_("只看待回访"), required=False)

    def to_filters(self, data: dict[str, Any]) -> AppealFilters:
        return AppealFilters(
            q=data.get("q", ""),
            step=data.get("step", ""),
            category=data.get("category", ""),
            overdue=bool(data.get("overdue")),
            mine=bool(data.get("mine")),
            return_due=bool(data.get("return_due")),
            subject=self.subject_of(data),
        )


class AppealForm(StyledForm):
    studio = forms.ChoiceField(label=_("工作室"), required=False, help_text=_("网格社工入户收集的诉求可不选"))
    region = forms.ChoiceField(
        label=_("所属区域"), required=False, help_text=_("选了在册居民时按居民所在区域")
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=Channel.choices)
    team = forms.ChoiceField(
        label=_("接待队伍"), required=False, choices=[("", _("（不指定）")), *TeamKind.choices]
    )
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    requester_name = forms.CharField(
        label=_("诉求人姓名"), required=False, max_length=50, help_text=_("未选在册居民时必填")
    )
    requester_phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea, max_length=4000)

    def __init__(self, *args: Any, studios: list[Any], regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "studio", [("", _("（不经工作室）")), *((str(s.pk), str(s)) for s in studios)])
        set_choices(self, "region", [("", _("（按工作室或居民）")), *region_pk_choices(regions)])


class StepForm(StyledForm):
    """One form for every step; the fields a step does not take are ignored by its service."""

    step = forms.ChoiceField(
        label=_("办理步骤"),
        choices=[c for c in Step.choices if c[0] != Step.REGISTER],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(label=_("办理情况"), required=False, widget=forms.Textarea, max_length=4000)
    unit = forms.ChoiceField(label=_("转办单位"), required=False)
    resolution = forms.CharField(label=_("办理结果"), required=False, widget=forms.Textarea, max_length=4000)
    resolved = forms.BooleanField(label=_("诉求已解决"), required=False)
    feedback = forms.CharField(label=_("反馈内容"), required=False, widget=forms.Textarea, max_length=4000)
    satisfaction = forms.ChoiceField(
        label=_("诉求人满意度"), required=False, choices=[("", _("（尚未询问）")), *Satisfaction.choices]
    )

    FIELDS = {
        Step.RECEIVE: ["step", "note"],
        Step.REFER: ["step", "unit", "note"],
        Step.HANDLE: ["step", "resolution", "resolved"],
        Step.FEEDBACK: ["step", "feedback", "satisfaction"],
        Step.ARCHIVE: ["step", "note"],
    }

    def __init__(self, *args: Any, step: str, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "unit",
            [("", _("请选择")), *((str(u.pk), f"{u.name}（{u.get_kind_display()}）") for u in units)],
        )
        self.initial.setdefault("step", step)
        for name in list(self.fields):
            if name not in self.FIELDS.get(Step(step), ["step"]):
                del self.fields[name]


class SatisfactionForm(StyledForm):
    satisfaction = forms.ChoiceField(label=_("诉求人满意度"), choices=Satisfaction.choices)


class SuperviseForm(StyledForm):
    note = forms.CharField(label=_("督办意见"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnCallForm(StyledForm):
    outcome = forms.ChoiceField(label=_("回访结果"), choices=ReturnOutcome.choices)
    satisfaction = forms.ChoiceField(
        label=_("诉求人满意度"), required=False, choices=[("", _("（未询问）")), *Satisfaction.choices]
    )
    note = forms.CharField(label=_("回访情况"), required=False, max_length=300)
