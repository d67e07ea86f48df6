"""Work and income: skills training (courses, enrolments, attendance per session, completion and
follow-ups at configured months), micro-factories (微工厂: investment with its source, workers
with their households, monthly output and pay), job fairs (enterprises with their 统一社会信用代码,
positions, applications, hires and their follow-up) and public-welfare posts (公益岗位:
recommendation, the provider's approval, placement, leaving, monthly confirmation)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager


class _Made(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        abstract = True


# ---- training -----------------------------------------------------------------------------------


class CourseKind(models.TextChoices):
    SHORT_VIDEO = "short_video", _("短视频制作")
    LIVESTREAM = "livestream", _("直播带货")
    HANDICRAFT = "handicraft", _("手工")
    COMPUTER = "computer", _("电脑")
    HOUSEKEEPING = "housekeeping", _("家政")
    OTHER = "other", _("其他")


class Course(_Made):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("举办区域"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("课程名称"), max_length=100)
    kind = models.CharField(_("培训类型"), max_length=16, choices=CourseKind.choices)
    organizer = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trainer = models.CharField(_("授课人"), max_length=60, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    sessions = models.PositiveSmallIntegerField(_("课次"))
    target_group = models.CharField(_("培训对象"), max_length=100, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("资助项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_serves_below: ClassVar[bool] = True

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="course_dates"),
            models.CheckConstraint(condition=Q(sessions__gte=1), name="course_sessions"),
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(_Made):
    course = models.ForeignKey(
        Course, verbose_name=_("课程"), on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("学员"), on_delete=models.PROTECT, related_name="enrolments"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )  # the trainee's region when enrolled: figures and scope need no join to persons
    enrolled_on = models.DateField(_("报名日期"))
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)

    present_sessions: list[int]  # set by selectors.enrolments_of
    latest: FollowUp | None  # set by selectors.enrolments_of

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["course", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="enrolment_once")]

    def __str__(self) -> str:
        return f"{self.course} · {self.person}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.PositiveSmallIntegerField(_("课次"))
    present = models.BooleanField(_("出勤"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "enrolment__region"

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        ordering = ["enrolment", "session"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} #{self.session}"


class Outcome(models.TextChoices):
    EMPLOYED = "employed", _("就业")
    FLEXIBLE = "flexible", _("灵活就业")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    NOT_WORKING = "not_working", _("未就业")


WORKING = (Outcome.EMPLOYED, Outcome.FLEXIBLE, Outcome.SELF_EMPLOYED)


class FlexibleKind(models.TextChoices):
    NONE = "", _("—")
    LIVESTREAM = "livestream", _("直播带货")
    HANDICRAFT = "handicraft", _("手工订单")
    PLATFORM = "platform", _("平台零工")
    OTHER = "other", _("其他")


class FollowUp(_Made):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("结业后第几个月"))
    followed_on = models.DateField(_("回访日期"))
    outcome = models.CharField(_("就业状况"), max_length=16, choices=Outcome.choices)
    flexible_kind = models.CharField(
        _("灵活就业方式"), max_length=12, choices=FlexibleKind.choices, blank=True, default=""
    )
    monthly_income = models.DecimalField(
        _("月收入（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "enrolment__region"

    class Meta:
        verbose_name = _("培训后跟踪")
        verbose_name_plural = _("培训后跟踪")
        ordering = ["enrolment", "month"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "month"], name="follow_up_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} +{self.month}"


def parse_months(raw: str) -> tuple[int, ...]:
    """``"1,3,6"`` as the months 1, 3 and 6 (each 1 to 36, at least one)."""
    try:
        months = sorted({int(m) for m in str(raw).replace("，", ",").split(",") if m.strip()})
    except ValueError:
        raise ValidationError(_("跟踪月份须为用逗号分隔的整数，如 1,3,6")) from None
    if not months or months[0] < 1 or months[-1] > 36:
        raise ValidationError(_("跟踪月份须在1到36之间"))
    return tuple(months)


def validate_months(raw: str) -> None:
    parse_months(raw)


class FollowUpPlan(models.Model):
    """The months after a course's end at which a street follows its trainees up (configuration;
    a street without a row takes ``WUSHE_TRAINING_FOLLOW_UP_MONTHS``, 1, 3 and 6)."""

    region = models.OneToOneField(
        "core.Region", verbose_name=_("街道"), on_delete=models.CASCADE, related_name="follow_up_plan"
    )
    months = models.CharField(_("跟踪月份（逗号分隔）"), max_length=40, validators=[validate_months])

    class Meta:
        verbose_name = _("培训跟踪月份")
        verbose_name_plural = _("培训跟踪月份")

    def __str__(self) -> str:
        return f"{self.region}: {self.months}"


# ---- micro-factories ----------------------------------------------------------------------------


class MicroFactory(_Made):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    operator = models.ForeignKey(
        "partners.Organization", verbose_name=_("运营方"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("开办日期"))
    closed_on = models.DateField(_("停办日期"), null=True, blank=True)
    products = models.CharField(_("生产内容"), max_length=200)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("微工厂")
        verbose_name_plural = _("微工厂")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="microfactory_name")]

    def __str__(self) -> str:
        return self.name


class InvestmentSource(models.TextChoices):
    PROJECT = "project", _("项目资金")
    FUND = "fund", _("慈善基金支出")
    GOVERNMENT = "government", _("政府资金")


class Investment(_Made):
    factory = models.ForeignKey(MicroFactory, on_delete=models.PROTECT, related_name="investments")
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    invested_on = models.DateField(_("投入日期"))
    source = models.CharField(_("资金来源"), max_length=12, choices=InvestmentSource.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disbursement = models.ForeignKey(
        "funds.Disbursement",
        verbose_name=_("基金支出"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.CharField(_("拨款部门"), max_length=100, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "factory__region"

    class Meta:
        verbose_name = _("微工厂投入")
        verbose_name_plural = _("微工厂投入")
        ordering = ["factory", "invested_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="investment_positive"),
            models.CheckConstraint(
                condition=(
                    Q(source="project", project__isnull=False, disbursement__isnull=True)
                    | Q(source="fund", disbursement__isnull=False, project__isnull=True)
                    | Q(source="government", project__isnull=True, disbursement__isnull=True)
                ),
                name="investment_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factory} {self.amount}"


class Worker(_Made):
    factory = models.ForeignKey(MicroFactory, on_delete=models.PROTECT, related_name="workers")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="factory_work"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("所在家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # the person's household when taken on
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    work = models.CharField(_("计工方式"), max_length=60, blank=True)  # 计时 / 计件 and what

    latest_month: WorkerMonth | None  # set by selectors.factory_summary

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "factory__region"

    class Meta:
        verbose_name = _("微工厂务工人员")
        verbose_name_plural = _("微工厂务工人员")
        ordering = ["factory", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="worker_dates",
            ),
            models.UniqueConstraint(
                fields=["factory", "person"], condition=Q(ended_on__isnull=True), name="worker_once_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factory} · {self.person}"


class WorkerMonth(_Made):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("月份"))  # the month's first day
    hours = models.DecimalField(_("工时"), max_digits=6, decimal_places=1, null=True, blank=True)
    pieces = models.PositiveIntegerField(_("计件数"), null=True, blank=True)
    pay = models.DecimalField(_("月报酬（元）"), max_digits=10, decimal_places=2)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "worker__factory__region"

    class Meta:
        verbose_name = _("务工月报酬")
        verbose_name_plural = _("务工月报酬")
        ordering = ["worker", "month"]
        constraints = [models.UniqueConstraint(fields=["worker", "month"], name="worker_month_once")]

    def __str__(self) -> str:
        return f"{self.worker} {self.month:%Y-%m}"


class FactoryMonth(_Made):
    factory = models.ForeignKey(MicroFactory, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("月份"))
    orders = models.PositiveIntegerField(_("订单数"), default=0)
    output = models.DecimalField(_("产值（元）"), max_digits=14, decimal_places=2, default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "factory__region"

    class Meta:
        verbose_name = _("微工厂月报")
        verbose_name_plural = _("微工厂月报")
        ordering = ["factory", "-month"]
        constraints = [models.UniqueConstraint(fields=["factory", "month"], name="factory_month_once")]

    def __str__(self) -> str:
        return f"{self.factory} {self.month:%Y-%m}"


# ---- job fairs ----------------------------------------------------------------------------------


class JobFair(_Made):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("举办区域"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=100)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=100)
    organizer = models.CharField(_("主办单位"), max_length=100)
    visitors = models.PositiveIntegerField(_("入场人数"), default=0)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_serves_below: ClassVar[bool] = True

    class Meta:
        verbose_name = _("招聘会")
        verbose_name_plural = _("招聘会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class FairEnterprise(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="enterprises")
    organization = models.ForeignKey(
        "partners.Organization", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    credit_code_warning = models.CharField(_("信用代码提示"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "fair__region"

    class Meta:
        verbose_name = _("参会企业")
        verbose_name_plural = _("参会企业")
        ordering = ["fair", "id"]
        constraints = [models.UniqueConstraint(fields=["fair", "organization"], name="fair_enterprise_once")]

    def __str__(self) -> str:
        return f"{self.fair} · {self.organization}"


class Position(models.Model):
    enterprise = models.ForeignKey(FairEnterprise, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("岗位"), max_length=60)
    openings = models.PositiveIntegerField(_("招聘人数"))
    pay_min = models.DecimalField(_("月薪下限（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    pay_max = models.DecimalField(_("月薪上限（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    suits_disabled = models.BooleanField(_("适合残疾人"), default=False)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "enterprise__fair__region"

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        ordering = ["enterprise", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(openings__gte=1), name="position_openings"),
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True)
                | Q(pay_max__isnull=True)
                | Q(pay_max__gte=models.F("pay_min")),
                name="position_pay_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已投递")
    HIRED = "hired", _("已录用")
    DECLINED = "declined", _("未录用")


class Application(_Made):
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("求职人员"),
        on_delete=models.PROTECT,
        related_name="job_applications",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )  # the fair's region
    applied_on = models.DateField(_("投递日期"))
    status = models.CharField(_("结果"), max_length=10, choices=ApplicationStatus.choices, default="applied")
    hired_on = models.DateField(_("录用日期"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("求职申请")
        verbose_name_plural = _("求职申请")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["position", "person"], name="application_once"),
            models.CheckConstraint(
                condition=Q(status="hired", hired_on__isnull=False) | ~Q(status="hired"),
                name="application_hired_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} · {self.person}"


class HireFollowUp(_Made):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="follow_ups")
    followed_on = models.DateField(_("回访日期"))
    still_working = models.BooleanField(_("仍在岗"))
    monthly_income = models.DecimalField(
        _("月收入（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "application__region"

    class Meta:
        verbose_name = _("录用回访")
        verbose_name_plural = _("录用回访")
        ordering = ["application", "followed_on", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.followed_on}"


# ---- public-welfare posts -----------------------------------------------------------------------


class Provider(models.TextChoices):
    MCA = "mca", _("民政部门")
    HRSS = "hrss", _("人社部门")
    COMMUNITY = "community", _("社区")


class WelfarePost(_Made):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.CharField(_("提供部门"), max_length=10, choices=Provider.choices)
    title = models.CharField(_("岗位名称"), max_length=100)
    places = models.PositiveIntegerField(_("岗位数"))
    monthly_pay = models.DecimalField(_("月补贴（元）"), max_digits=10, decimal_places=2)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_serves_below: ClassVar[bool] = True

    class Meta:
        verbose_name = _("公益岗位")
        verbose_name_plural = _("公益岗位")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="welfare_post_dates"),
            models.CheckConstraint(condition=Q(places__gte=1), name="welfare_post_places"),
        ]

    def __str__(self) -> str:
        return self.title


class RecommendationStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    PLACED = "placed", _("在岗")
    LEFT = "left", _("已离岗")


class Recommendation(_Made):
    post = models.ForeignKey(WelfarePost, on_delete=models.PROTECT, related_name="recommendations")
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("推荐人员"),
        on_delete=models.PROTECT,
        related_name="post_recommendations",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )  # the person's region when recommended
    reason = models.TextField(_("推荐理由"))
    situation = models.TextField(_("家庭情况"))
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.RECOMMENDED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    placed_on = models.DateField(_("上岗日期"), null=True, blank=True)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    leave_reason = models.CharField(_("离岗原因"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("公益岗位推荐")
        verbose_name_plural = _("公益岗位推荐")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "person"],
                condition=~Q(status__in=["rejected", "left"]),
                name="recommendation_open_once",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("placed_on")),
                name="placement_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.person}"


class PostConfirmation(_Made):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="confirmations")
    month = models.DateField(_("月份"))
    working = models.BooleanField(_("在岗"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "recommendation__region"

    class Meta:
        verbose_name = _("公益岗位月度确认")
        verbose_name_plural = _("公益岗位月度确认")
        ordering = ["recommendation", "-month"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "month"], name="confirmation_once")]

    def __str__(self) -> str:
        return f"{self.recommendation} {self.month:%Y-%m}"
