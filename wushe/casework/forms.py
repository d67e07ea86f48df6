"""Forms of the case, group and activity pages. They check the shape of the input; the rules
live in the services, whose errors are put back on the fields they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.forms import DateInput, StyledForm, region_pk_choices, set_choices
from wushe.core.listing import ListFilterForm
from wushe.core.models import Region
from wushe.registry.subjects import SubjectFields

from .models import ActivityKind, CaseStage, OrganizerKind
from .selectors import CaseFilters


def org_choices(orgs: list[Any]) -> list[tuple[str, str]]:
    return [("", _("（不指定）")), *((str(o.pk), o.name) for o in orgs)]


class CaseFilterForm(ListFilterForm, SubjectFields):
    q = forms.CharField(label=_("个案编号或服务对象姓名"), required=False, max_length=60)
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=[("", _("全部")), *CaseStage.choices])
    mine = forms.BooleanField(label=_("只看我负责的"), required=False)
    due = forms.BooleanField(label=_("只看到期待办"), required=False)
    follow_up = forms.BooleanField(label=_("只看回访到期"), required=False)

    def to_filters(self, data: dict[str, Any]) -> CaseFilters:
        due = bool(data.get("due"))
        return CaseFilters(
            q=data.get("q", ""),
            stage=data.get("stage", ""),
            mine=bool(data.get("mine")),
            due_by=timezone.localdate() if due else None,
            open_only=due,
            follow_up_by=timezone.localdate() if data.get("follow_up") else None,
            subject=self.subject_of(data),
        )


class CaseOpenForm(StyledForm):
    reason = forms.CharField(label=_("接案原因"), widget=forms.Textarea, max_length=2000)
    opened_on = BoundedDateField(within=EVENT, label=_("接案日期"), widget=DateInput())
    organization = forms.ChoiceField(label=_("承接机构"), required=False)
    project = forms.CharField(label=_("所属项目"), required=False, max_length=100)
    next_due = BoundedDateField(label=_("下次待办日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, orgs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organization", org_choices(orgs))


class CaseAdvanceForm(StyledForm):
    stage = forms.ChoiceField(
        label=_("推进到"), choices=[c for c in CaseStage.choices if c[0] != CaseStage.INTAKE]
    )
    on = BoundedDateField(within=EVENT, label=_("日期"), widget=DateInput())
    note = forms.CharField(
        label=_("本阶段记录"),
        required=False,
        widget=forms.Textarea,
        max_length=4000,
        help_text=_("评估内容、服务计划、介入情况或结案小结"),
    )
    goals = forms.CharField(label=_("服务目标"), required=False, widget=forms.Textarea, max_length=2000)
    next_due = BoundedDateField(label=_("下次待办日期"), required=False, widget=DateInput())
    follow_up_on = BoundedDateField(label=_("回访日期（结案时）"), required=False, widget=DateInput())


class CaseReopenForm(StyledForm):
    on = BoundedDateField(within=EVENT, label=_("重新开案日期"), widget=DateInput())
    note = forms.CharField(label=_("重新开案原因"), widget=forms.Textarea, max_length=2000)


def bound(field: Any, limit: int) -> None:
    """Give an integer field its configured maximum (validated, and shown in the input and help)."""
    field.max_value = limit
    field.validators.append(MaxValueValidator(limit))
    field.widget.attrs["max"] = str(limit)
    field.help_text = _("不超过%(max)s") % {"max": limit}


class CaseServiceForm(StyledForm):
    on = BoundedDateField(within=EVENT, label=_("服务日期"), widget=DateInput())
    minutes = forms.IntegerField(label=_("服务时长（分钟）"), min_value=1)
    content = forms.CharField(label=_("服务内容"), widget=forms.Textarea, max_length=4000)
    need_refs = forms.CharField(label=_("关联需求编号"), required=False, max_length=200)
    next_due = BoundedDateField(label=_("下次待办日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound(self.fields["minutes"], settings.WUSHE_CASE_SERVICE_MAX_MINUTES)
        self.fields["minutes"].help_text = _("每条不超过%(max)s分钟，每位社工每日合计不超过%(day)s分钟") % {
            "max": settings.WUSHE_CASE_SERVICE_MAX_MINUTES,
            "day": settings.WUSHE_CASE_SERVICE_DAY_MAX_MINUTES,
        }


class GroupForm(StyledForm):
    name = forms.CharField(label=_("小组名称"), max_length=100)
    region = forms.ChoiceField(label=_("所属区域"))
    goal = forms.CharField(label=_("小组目标"), widget=forms.Textarea, max_length=2000)
    organization = forms.ChoiceField(label=_("承接机构"), required=False)
    starts_on = BoundedDateField(within=EVENT, label=_("开始日期"), widget=DateInput())
    ends_on = BoundedDateField(label=_("结束日期"), required=False, widget=DateInput())

    def __init__(self, *args: Any, orgs: list[Any], regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organization", org_choices(orgs))
        set_choices(self, "region", region_pk_choices(regions))


class SessionForm(StyledForm):
    on = BoundedDateField(within=EVENT, label=_("日期"), widget=DateInput())
    topic = forms.CharField(label=_("主题"), max_length=200)
    content = forms.CharField(label=_("活动内容"), required=False, widget=forms.Textarea, max_length=4000)
    attendees = forms.MultipleChoiceField(
        label=_("出席组员"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "attendees", [(str(m.pk), m.name) for m in members])
        self.fields["attendees"].help_text = _("每节最多%(max)s人，须是本小组组员") % {
            "max": settings.WUSHE_GROUP_MAX_MEMBERS
        }


class ActivityForm(StyledForm):
    title = forms.CharField(label=_("活动名称"), max_length=200)
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices)
    on = BoundedDateField(within=EVENT, label=_("活动日期"), widget=DateInput())
    region = forms.ChoiceField(label=_("所属区域"))
    place = forms.CharField(label=_("地点"), max_length=200)
    organizer_kind = forms.ChoiceField(label=_("主办方类型"), choices=OrganizerKind.choices)
    organizer = forms.ChoiceField(label=_("主办组织"), required=False, help_text=_("社区主办的不选"))
    participants = forms.IntegerField(label=_("参与人数"), min_value=0, initial=0)
    disabled_participants = forms.IntegerField(label=_("其中残疾人"), min_value=0, initial=0)
    volunteers = forms.IntegerField(label=_("志愿者人数"), min_value=0, initial=0)
    leaflets = forms.IntegerField(label=_("发放宣传资料（份）"), min_value=0, initial=0)
    questions_answered = forms.IntegerField(label=_("解答咨询（人次）"), min_value=0, initial=0)
    summary = forms.CharField(label=_("活动简介"), required=False, widget=forms.Textarea, max_length=4000)

    def __init__(self, *args: Any, orgs: list[Any], regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organizer", org_choices(orgs))
        set_choices(self, "region", region_pk_choices(regions))
        from .services import activity_limit

        for name in ("participants", "disabled_participants", "volunteers", "leaflets", "questions_answered"):
            bound(self.fields[name], activity_limit(name))


class PhotoForm(StyledForm):
    image = forms.FileField(
        label=_("照片"),
        help_text=_("JPEG、PNG 或 WebP，不超过 5 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("说明"), required=False, max_length=200)
