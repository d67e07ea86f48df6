"""The forms of work and income. Choices (regions, organizations, projects, enrolments, workers …)
are read for the user at run time; the services check everything again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.core.checks import today
from wushe.core.forms import DateInput, StyledForm, region_pk_choices, set_choices, set_queryset
from wushe.core.models import Region
from wushe.funds.models import Disbursement, DisbursementStatus
from wushe.partners.models import Organization
from wushe.partners.selectors import usable_organizations
from wushe.projects.models import Project

from .models import CourseKind, FlexibleKind, InvestmentSource, Outcome, Provider

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), initial=today, required=required)


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0, required=required)


class RegionForm(StyledForm):
    """A form whose first field is a region picked among the user's (by pk)."""

    region = forms.ChoiceField(label=_("区域"))

    def __init__(self, *args: Any, regions: Sequence[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {str(r.pk): r for r in regions}
        set_choices(self, "region", region_pk_choices(list(regions)))

    def clean_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]


class CourseForm(RegionForm):
    title = forms.CharField(label=_("课程名称"), max_length=100)
    kind = forms.ChoiceField(label=_("培训类型"), choices=CourseKind.choices)
    organizer = forms.ModelChoiceField(
        label=_("主办单位"), queryset=Organization.objects.none(), required=False
    )
    trainer = forms.CharField(label=_("授课人"), max_length=60, required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    start_on = _date(_("开始日期"))
    end_on = _date(_("结束日期"))
    sessions = forms.IntegerField(label=_("课次"), min_value=1, max_value=200)
    target_group = forms.CharField(label=_("培训对象"), max_length=100, required=False)
    project = forms.ModelChoiceField(label=_("资助项目"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organizer", usable_organizations(user).order_by("name"))
        set_queryset(self, "project", Project.objects.visible_to(user).order_by("name"))


class AttendanceForm(StyledForm):
    session = forms.IntegerField(label=_("课次"), min_value=1)
    present = forms.MultipleChoiceField(
        label=_("出勤学员"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, enrolments: Sequence[Any], sessions: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "present", [(str(e.pk), e.person.name) for e in enrolments])
        session = self.fields["session"]
        assert isinstance(session, forms.IntegerField)
        session.max_value = sessions
        session.widget.attrs["max"] = str(sessions)


class FollowUpForm(StyledForm):
    enrolment = forms.ChoiceField(label=_("学员"))
    month = forms.TypedChoiceField(label=_("结业后第几个月"), coerce=int)
    followed_on = _date(_("回访日期"))
    outcome = forms.ChoiceField(label=_("就业状况"), choices=Outcome.choices)
    flexible_kind = forms.ChoiceField(label=_("灵活就业方式"), choices=FlexibleKind.choices, required=False)
    monthly_income = _money(_("月收入（元，可不填）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, enrolments: Sequence[Any], months: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "enrolment", [(str(e.pk), e.person.name) for e in enrolments])
        set_choices(self, "month", [(m, _("%(m)s个月") % {"m": m}) for m in months])


class FactoryForm(RegionForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    operator = forms.ModelChoiceField(label=_("运营方"), queryset=Organization.objects.none())
    opened_on = _date(_("开办日期"))
    products = forms.CharField(label=_("生产内容"), max_length=200)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "operator", usable_organizations(user).order_by("name"))


class InvestmentForm(StyledForm):
    amount = _money(_("金额（元）"))
    source = forms.ChoiceField(label=_("资金来源"), choices=InvestmentSource.choices)
    invested_on = _date(_("投入日期"))
    project = forms.ModelChoiceField(
        label=_("项目（来源为项目资金时）"), queryset=Project.objects.none(), required=False
    )
    disbursement = forms.ModelChoiceField(
        label=_("基金支出（来源为慈善基金时）"), queryset=Disbursement.objects.none(), required=False
    )
    department = forms.CharField(label=_("拨款部门（政府资金时）"), max_length=100, required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "project", Project.objects.visible_to(user).order_by("name"))
        paid = Disbursement.objects.filter(
            status=DisbursementStatus.PAID, fund__in=_visible_funds(user)
        ).select_related("fund")
        set_queryset(self, "disbursement", paid.order_by("-paid_on"))


def _visible_funds(user: AnyUser) -> Any:
    from wushe.funds.models import Fund

    return Fund.objects.visible_to(user).values("id")


class WorkerMonthForm(StyledForm):
    worker = forms.ChoiceField(label=_("务工人员"))
    month = _date(_("月份（任一天）"))
    pay = _money(_("月报酬（元）"))
    hours = forms.DecimalField(
        label=_("工时（可不填）"), max_digits=6, decimal_places=1, min_value=0, required=False
    )
    pieces = forms.IntegerField(label=_("计件数（可不填）"), min_value=0, required=False)

    def __init__(self, *args: Any, workers: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "worker", [(str(w.pk), w.person.name) for w in workers if w.ended_on is None])


class FactoryMonthForm(StyledForm):
    month = _date(_("月份（任一天）"))
    orders = forms.IntegerField(label=_("订单数"), min_value=0)
    output = _money(_("产值（元）"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class FairForm(RegionForm):
    title = forms.CharField(label=_("名称"), max_length=100)
    held_on = _date(_("举办日期"))
    place = forms.CharField(label=_("地点"), max_length=100)
    organizer = forms.CharField(label=_("主办单位"), max_length=100)
    visitors = forms.IntegerField(label=_("入场人数"), min_value=0, initial=0)


class EnterpriseForm(StyledForm):
    name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)


class PositionForm(StyledForm):
    enterprise = forms.ChoiceField(label=_("企业"))
    title = forms.CharField(label=_("岗位"), max_length=60)
    openings = forms.IntegerField(label=_("招聘人数"), min_value=1)
    pay_min = _money(_("月薪下限（元）"), required=False)
    pay_max = _money(_("月薪上限（元）"), required=False)
    suits_disabled = forms.BooleanField(label=_("适合残疾人"), required=False)

    def __init__(self, *args: Any, enterprises: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "enterprise", [(str(e.pk), e.organization.name) for e in enterprises])


class DecideForm(StyledForm):
    application = forms.ChoiceField(label=_("求职申请"))
    hired = forms.TypedChoiceField(
        label=_("结果"), choices=[("1", _("录用")), ("0", _("未录用"))], coerce=lambda v: v == "1"
    )
    hired_on = _date(_("录用日期"), required=False)

    def __init__(self, *args: Any, applications: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "application",
            [
                (str(a.pk), f"{a.person.name} · {a.position.title}")
                for a in applications
                if a.status == "applied"
            ],
        )


class HireFollowUpForm(StyledForm):
    application = forms.ChoiceField(label=_("录用人员"))
    followed_on = _date(_("回访日期"))
    still_working = forms.BooleanField(label=_("仍在岗"), required=False, initial=True)
    monthly_income = _money(_("月收入（元，可不填）"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, applications: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "application",
            [
                (str(a.pk), f"{a.person.name} · {a.position.title}")
                for a in applications
                if a.status == "hired"
            ],
        )


class PostForm(RegionForm):
    provider = forms.ChoiceField(label=_("提供部门"), choices=Provider.choices)
    title = forms.CharField(label=_("岗位名称"), max_length=100)
    places = forms.IntegerField(label=_("岗位数"), min_value=1)
    monthly_pay = _money(_("月补贴（元）"))
    start_on = _date(_("开始日期"))
    end_on = _date(_("结束日期"))


class RecommendForm(StyledForm):
    # required, checked by the service (its message names what is missing)
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea, max_length=1000, required=False)
    situation = forms.CharField(label=_("家庭情况"), widget=forms.Textarea, max_length=1000, required=False)


class DecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label=_("审批"), choices=[("1", _("批准")), ("0", _("不批准"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("审批意见（不批准须填写）"), max_length=200, required=False)


class PlaceForm(StyledForm):
    placed_on = _date(_("上岗日期"))


class LeaveForm(StyledForm):
    left_on = _date(_("离岗日期"))
    reason = forms.CharField(label=_("离岗原因"), max_length=200)


class ConfirmForm(StyledForm):
    month = _date(_("月份（任一天）"))
    working = forms.BooleanField(label=_("本月在岗"), required=False, initial=True)
    note = forms.CharField(label=_("说明（未在岗须填写）"), max_length=200, required=False)
