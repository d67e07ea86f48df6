"""The visit form: the six parts of 五门一声 as fieldsets, with rows for the needs and problems
found on the same visit (formsets), so a worker records everything in one step on a phone."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxValueValidator
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.editing import reason_field
from wushe.core.forms import BootstrapMixin, DateInput, region_choices, set_choices
from wushe.core.listing import ListFilterForm
from wushe.core.models import AREA_LEVELS
from wushe.needs.models import Urgency
from wushe.registry.selectors import region_picker
from wushe.registry.subjects import SubjectFields

from .models import Channel, DoorService, Mood
from .selectors import CoverageFilters, VisitFilters, coverage_days, workers_in_scope

if TYPE_CHECKING:
    from wushe.core.types import AnyUser

YES_NO = [("1", _("是，已入户")), ("0", _("否，未敲开"))]


class VisitForm(BootstrapMixin, forms.Form):
    visited_on = BoundedDateField(within=EVENT, label=_("走访日期"), widget=DateInput())
    channel = forms.ChoiceField(label=_("走访方式"), choices=Channel.choices, initial=Channel.HOME)
    volunteers = forms.CharField(label=_("参与志愿者"), required=False, max_length=200)
    # 敲开家门
    reached = forms.TypedChoiceField(
        label=_("是否敲开家门"),
        choices=YES_NO,
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    not_reached_reason = forms.CharField(label=_("未入户原因"), required=False, max_length=200)
    # 服务上门
    services_done = forms.MultipleChoiceField(
        label=_("上门服务"), required=False, choices=DoorService.choices, widget=forms.CheckboxSelectMultiple
    )
    services_note = forms.CharField(label=_("服务说明"), required=False, max_length=200)
    # 政策进门
    policies_explained = forms.IntegerField(
        label=_("宣讲政策数"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    policies_note = forms.CharField(label=_("宣讲的政策"), required=False, max_length=200)
    leaflets = forms.IntegerField(
        label=_("发放宣传资料（份）"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # 打开心门
    emotional_support = forms.CharField(label=_("心理疏导"), required=False, max_length=300)
    mood = forms.ChoiceField(label=_("情绪状况"), required=False, choices=[("", "—"), *Mood.choices])
    # 找准窍门
    key_problem = forms.CharField(label=_("关键问题"), required=False, max_length=300)
    plan = forms.CharField(label=_("解决办法"), required=False, max_length=300)
    # 聆听心声
    resident_words = forms.CharField(
        label=_("居民心声"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()
        from .services import count_limit

        for name in ("policies_explained", "leaflets"):  # the configured limits, checked and shown
            limit = count_limit(name)
            field = self.fields[name]
            assert isinstance(field, forms.IntegerField)
            field.max_value = limit
            field.validators.append(MaxValueValidator(limit))
            field.widget.attrs["max"] = str(limit)
            field.help_text = _("不超过%(max)s") % {"max": limit}
        self._style()

    def clean_visited_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("走访日期不能晚于今天"))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reached") is False and not data.get("not_reached_reason"):
            self.add_error("not_reached_reason", _("未敲开家门时请说明原因"))
        return data


class NeedRowForm(BootstrapMixin, forms.Form):
    """One need found on the visit; a row left empty is ignored."""

    category = forms.ChoiceField(label=_("需求类别"), required=False)
    description = forms.CharField(label=_("需求描述"), required=False, max_length=300)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def __init__(self, *args: Any, categories: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((c.code, c.label) for c in categories or [])]
        self._style()

    def has_changed(self) -> bool:
        return bool(
            self.data.get(self.add_prefix("category")) or self.data.get(self.add_prefix("description"))
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("category") and not data.get("description"):
            self.add_error("description", _("请描述这项需求"))
        if data.get("description") and not data.get("category"):
            self.add_error("category", _("请选择需求类别"))
        return data


class ProblemRowForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("问题描述"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


NeedFormSet = formset_factory(NeedRowForm, extra=2, max_num=10, validate_max=True)
ProblemFormSet = formset_factory(ProblemRowForm, extra=2, max_num=10, validate_max=True)


class CoverageForm(ListFilterForm):
    region = forms.ChoiceField(label=_("区域"), required=False)
    days = forms.IntegerField(label=_("未走访天数"), min_value=1, max_value=3650, required=False)
    worker = forms.ChoiceField(label=_("社工"), required=False)

    def setup(self, user: AnyUser | None) -> None:
        regions = region_picker(user=user, levels=AREA_LEVELS)
        workers = list(workers_in_scope(user=user)[:300]) if user is not None else []
        self._regions = {r.code: r for r in regions}
        self._workers = {str(w.pk): w for w in workers}
        set_choices(self, "region", [("", _("全部")), *region_choices(regions)])
        set_choices(self, "worker", [("", _("全部")), *((str(w.pk), str(w)) for w in workers)])

    def to_filters(self, data: dict[str, Any]) -> CoverageFilters:
        return CoverageFilters(
            region=self._regions.get(data.get("region") or ""),
            days=data.get("days") or coverage_days(),
            worker=self._workers.get(data.get("worker") or ""),
        )


class VisitFilterForm(ListFilterForm, SubjectFields):
    region = forms.ChoiceField(label=_("区域"), required=False)
    start = BoundedDateField(label=_("起始日期"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("截止日期"), required=False, widget=DateInput())

    def setup(self, user: AnyUser | None) -> None:
        regions = region_picker(user=user, levels=AREA_LEVELS)
        self._regions = {r.code: r for r in regions}
        set_choices(self, "region", [("", _("全部")), *region_choices(regions)])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("截止日期不能早于起始日期"))
        return data

    def to_filters(self, data: dict[str, Any]) -> VisitFilters:
        return VisitFilters(
            region=self._regions.get(data.get("region") or ""),
            start=data.get("start"),
            end=data.get("end"),
            subject=self.subject_of(data),
        )


class VisitEditForm(VisitForm):
    """A recorded visit corrected: its fields, and why (the change history keeps both)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field()
        self._style()
