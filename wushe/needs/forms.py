"""Forms of the needs pages: the list's filters, registering a need, a step, accepting a
suggestion, rating, and resolving a problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.dates import EVENT, BoundedDateField
from wushe.core.forms import BootstrapMixin, DateInput, region_choices, set_choices
from wushe.core.listing import ListFilterForm
from wushe.core.models import AREA_LEVELS, Satisfaction
from wushe.registry.selectors import region_picker
from wushe.registry.subjects import SubjectFields

from .models import NeedSource, NeedStatus, ProblemStatus, ReferralState, Urgency
from .selectors import NeedFilters, ProblemFilters, ReferralFilters, category_list

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


class NeedFilterForm(ListFilterForm, SubjectFields):
    q = forms.CharField(label=_("检索"), required=False, max_length=60)
    region = forms.ChoiceField(label=_("区域"), required=False)
    category = forms.ChoiceField(label=_("需求类别"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *NeedStatus.choices]
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), required=False, choices=[("", _("全部")), *Urgency.choices]
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    due_soon = forms.BooleanField(label=_("只看即将到期"), required=False)
    mine = forms.BooleanField(label=_("只看我和本单位的"), required=False)

    def setup(self, user: AnyUser | None) -> None:
        regions = region_picker(user=user, levels=AREA_LEVELS)
        self._regions = {r.code: r for r in regions}
        set_choices(self, "region", [("", _("全部")), *region_choices(regions)])
        set_choices(self, "category", [("", _("全部")), *((c.code, c.label) for c in category_list())])

    def to_filters(self, data: dict[str, Any]) -> NeedFilters:
        return NeedFilters(
            region=self._regions.get(data.get("region") or ""),
            category=data.get("category") or "",
            status=data.get("status") or "",
            urgency=data.get("urgency") or "",
            overdue=bool(data.get("overdue")),
            q=(data.get("q") or "").strip(),
            mine=bool(data.get("mine")),
            due_soon=bool(data.get("due_soon")),
            subject=self.subject_of(data),
        )


class ProblemFilterForm(ListFilterForm, SubjectFields):
    """The problem list's one filter: its status (an unknown one is all)."""

    status = forms.ChoiceField(required=False, choices=[("", ""), *ProblemStatus.choices])

    def to_filters(self, data: dict[str, Any]) -> ProblemFilters:
        return ProblemFilters(status=data.get("status") or "", subject=self.subject_of(data))


class NeedForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("需求类别"))
    description = forms.CharField(label=_("需求描述"), max_length=300)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    source = forms.ChoiceField(label=_("来源"), choices=NeedSource.choices, initial=NeedSource.SELF)
    responsible_unit = forms.ChoiceField(
        label=_("责任单位"), required=False, help_text=_("不选则由最近的责任单位负责")
    )
    responsible_person = forms.CharField(label=_("责任人"), required=False, max_length=50)
    deadline = BoundedDateField(
        label=_("办结期限"), required=False, widget=DateInput(), help_text=_("不填则按紧急程度自动设定")
    )

    def __init__(self, *args: Any, categories: list[Any], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", [("", "—"), *((c.code, c.label) for c in categories)])
        self._units = {str(u.pk): u for u in units}
        set_choices(self, "responsible_unit", [("", "—"), *((str(u.pk), u.name) for u in units)])
        self._style()

    def unit_obj(self) -> Any:
        return self._units.get(self.cleaned_data.get("responsible_unit") or "")


class StepForm(BootstrapMixin, forms.Form):
    """Move a need on: only the statuses that can follow its own (``services.next_statuses``); 已满足
    asks the resident's satisfaction, 无法满足 the reason."""

    to_status = forms.ChoiceField(label=_("推进到"))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
    satisfaction = forms.ChoiceField(
        label=_("居民满意度（推进到已满足时必填）"),
        required=False,
        choices=[("", "—"), *Satisfaction.choices],
    )
    unmet_reason = forms.CharField(
        label=_("无法满足的原因（推进到无法满足时必填）"), required=False, max_length=300
    )

    def __init__(self, *args: Any, statuses: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "to_status", [(s, NeedStatus(s).label) for s in statuses])
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("to_status")
        if status == NeedStatus.MET and not data.get("satisfaction"):
            self.add_error("satisfaction", _("需求已满足时请询问并记录居民的满意度"))
        if status == NeedStatus.UNMET and not (data.get("unmet_reason") or "").strip():
            self.add_error("unmet_reason", _("请填写无法满足的原因"))
        if status != NeedStatus.MET and data.get("satisfaction"):
            self.add_error("satisfaction", _("需求满足后才能评价满意度"))
        return data


class ReferForm(BootstrapMixin, forms.Form):
    """Refer a need by hand: an organization (and, optionally, one of the resources in view) and
    the reason no suggestion fits."""

    organization = forms.ChoiceField(label=_("转介至组织"))
    resource = forms.ChoiceField(label=_("资源（可不选）"), required=False)
    reason = forms.CharField(label=_("转介理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    # the resident's contact goes to the organization: the sharing's purpose and impact (PIPL art. 55)
    purpose = forms.CharField(label=_("提供个人信息的目的"), max_length=300, required=False)
    impact = forms.CharField(
        label=_("个人信息保护影响评估"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[Any],
        resources: list[Any],
        sharing: tuple[str, str] = ("", ""),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].initial, self.fields["impact"].initial = sharing
        self._orgs = {str(o.pk): o for o in organizations}
        self._resources = {str(r.pk): r for r in resources}
        set_choices(self, "organization", [("", "—"), *((k, o.name) for k, o in self._orgs.items())])
        set_choices(
            self,
            "resource",
            [("", "—"), *((k, f"{r.name}（{r.provider.name}）") for k, r in self._resources.items())],
        )
        self._style()

    def objects(self) -> tuple[Any, Any]:
        d = self.cleaned_data
        return self._orgs.get(d.get("organization") or ""), self._resources.get(d.get("resource") or "")


class AnswerForm(BootstrapMixin, forms.Form):
    """The organization's answer to a referral: a note when accepting, a reason when returning."""

    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if required:
            self.fields["note"].required = True
            self.fields["note"].label = _("退回原因")
        self._style()


class ReferralFilterForm(ListFilterForm):
    state = forms.ChoiceField(
        label=_("接收情况"), required=False, choices=[("", _("当前转介")), *ReferralState.choices]
    )

    def to_filters(self, data: dict[str, Any]) -> ReferralFilters:
        return ReferralFilters(state=data.get("state") or "")


class AcceptForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[("resource", _("资源")), ("project", _("项目"))])
    target = forms.IntegerField(label=_("资源或项目"), min_value=1)


class RateForm(BootstrapMixin, forms.Form):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class ResolveForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(label=_("解决情况"), max_length=300)
    resolved_on = BoundedDateField(within=EVENT, label=_("解决日期"), required=False, widget=DateInput())
    satisfaction = forms.ChoiceField(
        label=_("满意度"), required=False, choices=[("", "—"), *Satisfaction.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()
