"""Forms of the volunteer pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.forms import DateInput, StyledForm, set_choices

from .models import EntryKind, Grade, ServiceKind


class VolunteerForm(StyledForm):
    team = forms.ChoiceField(label=_("志愿服务队"))
    name = forms.CharField(label=_("姓名"), max_length=50)
    joined_on = BoundedDateField(within=EVENT, label=_("加入日期"), widget=DateInput())
    skills = forms.CharField(label=_("服务特长"), required=False, max_length=200)

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [(str(t.pk), str(t)) for t in teams])


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


class RecordEditForm(RecordForm):
    """Hours not yet verified, corrected in place (the change history names who and why)."""

    reason = forms.CharField(label=_("修改说明"), required=False, max_length=100)


class RecordCorrectForm(RecordForm):
    """Verified hours corrected by the team leader: a reversing record and the corrected one."""

    withdraw = forms.BooleanField(
        label=_("整条撤销（不再记录这次服务）"),
        required=False,
        help_text=_("勾选后只冲销原记录；不勾选则冲销原记录并按下面的内容重新记录"),
    )
    reason = forms.CharField(label=_("更正原因"), max_length=200)


class EntryForm(StyledForm):
    """A training, an award or an evaluation on the volunteer's record."""

    kind = forms.ChoiceField(label=_("类别"), choices=EntryKind.choices)
    on = BoundedDateField(within=EVENT, label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("名称"), max_length=100, help_text=_("培训名称、奖项名称或评价期间"))
    issuer = forms.CharField(label=_("组织或授予单位"), required=False, max_length=100)
    hours = forms.DecimalField(
        label=_("培训时长（小时）"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=0.1,
        max_value=1000,
        help_text=_("仅培训填写"),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    grade = forms.ChoiceField(
        label=_("评价等次"), required=False, choices=[("", "—"), *Grade.choices], help_text=_("仅评价填写")
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class EntryEditForm(EntryForm):
    """A training, an award or an evaluation corrected (the change history names who and why)."""

    reason = forms.CharField(label=_("修改说明"), max_length=100)
