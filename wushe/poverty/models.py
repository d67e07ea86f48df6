"""社工+扶贫: household checks (两不愁三保障 and 饮水安全, income against the year's threshold, the
低保 re-check), return-to-poverty monitoring (防返贫监测: objects, leads through five steps,
assistance measures, monthly income, risk elimination), early warnings, and the batch of
一户一册 booklets printed in the background."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager

USER = settings.AUTH_USER_MODEL


class Threshold(models.Model):
    """The income threshold a province sets for a year (元 per person per year), and the margin
    above it that counts as stable (a warning below it; elimination needs every month above it)."""

    province = models.CharField(
        _("省级区划代码"), max_length=2, help_text=_("区划代码前两位，如 37 为山东省")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("监测收入标准（元/人/年）"), max_digits=10, decimal_places=2)
    margin_percent = models.DecimalField(
        _("稳定高出比例（%）"), max_digits=5, decimal_places=2, default=Decimal("10.00")
    )

    class Meta:
        verbose_name = _("防返贫监测收入标准")
        verbose_name_plural = _("防返贫监测收入标准")
        ordering = ["province", "-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="poverty_threshold_unique")]

    def __str__(self) -> str:
        return f"{self.province} {self.year}: {self.amount}"


class Item(models.TextChoices):
    """The items of a household check: 两不愁, 三保障 and 饮水安全 (four parts), and income."""

    FOOD = "food", _("不愁吃")
    CLOTHING = "clothing", _("不愁穿")
    EDUCATION = "education", _("义务教育保障")
    MEDICAL = "medical", _("基本医疗保障")
    HOUSING = "housing", _("住房安全保障")
    WATER_QUANTITY = "water_quantity", _("饮水水量")
    WATER_QUALITY = "water_quality", _("饮水水质")
    WATER_CONVENIENCE = "water_convenience", _("取水方便程度")
    WATER_GUARANTEE = "water_guarantee", _("供水保证率")
    INCOME = "income", _("人均收入达标")


SECURITY_ITEMS = (
    Item.EDUCATION,
    Item.MEDICAL,
    Item.HOUSING,
    Item.WATER_QUANTITY,
    Item.WATER_QUALITY,
    Item.WATER_CONVENIENCE,
    Item.WATER_GUARANTEE,
)
THREE_GUARANTEES = (Item.EDUCATION, Item.MEDICAL, Item.HOUSING)


class HousingGrade(models.TextChoices):
    A = "A", _("A级（安全）")
    B = "B", _("B级（基本安全）")
    C = "C", _("C级（局部危险）")
    D = "D", _("D级（整体危险）")


UNSAFE_GRADES = (HousingGrade.C, HousingGrade.D)


class DibaoOutcome(models.TextChoices):
    KEPT = "kept", _("维持")
    ADJUSTED = "adjusted", _("调整")
    REMOVED = "removed", _("退出")


class HouseholdCheck(models.Model):
    """One check of a household (during a visit or on its own). Its items are ``CheckItem`` rows;
    income is the household's annual net income, per person over the members at the check."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("户"), on_delete=models.PROTECT, related_name="poverty_checks"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("随走访核查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_on = models.DateField(_("核查日期"), db_index=True)
    members = models.PositiveSmallIntegerField(_("家庭人口"))
    income = models.DecimalField(_("家庭年纯收入（元）"), max_digits=12, decimal_places=2)
    income_per_person = models.DecimalField(_("人均纯收入（元）"), max_digits=12, decimal_places=2)
    threshold = models.DecimalField(_("当年监测收入标准（元）"), max_digits=10, decimal_places=2)
    housing_grade = models.CharField(
        _("房屋安全等级"), max_length=1, choices=HousingGrade.choices, blank=True
    )
    hollow_house = models.BooleanField(_("空心房"), default=False)
    elderly_in_old_house = models.BooleanField(_("老人独居老旧房屋"), default=False)
    serious_illness = models.BooleanField(_("家中有人患重大疾病"), default=False)
    main_earner = models.ForeignKey(
        "registry.Person",
        verbose_name=_("主要劳动力"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dibao_outcome = models.CharField(
        _("低保核对结果"), max_length=10, choices=DibaoOutcome.choices, blank=True
    )
    dibao_reason = models.CharField(_("低保核对说明"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    by = models.ForeignKey(USER, verbose_name=_("核查人"), null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("入户核查")
        verbose_name_plural = _("入户核查")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["household", "-checked_on"], name="poverty_check_household")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.checked_on}"


class CheckItem(models.Model):
    """One item of a check: passed, or failed with what was found and the need it became."""

    check_record = models.ForeignKey(HouseholdCheck, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("核查项目"), max_length=20, choices=Item.choices)
    passed = models.BooleanField(_("达标"))
    finding = models.CharField(_("情况说明"), max_length=200, blank=True)
    need = models.ForeignKey(
        "needs.Need",
        verbose_name=_("转为需求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("核查项目")
        verbose_name_plural = _("核查项目")
        ordering = ["check_record", "id"]
        constraints = [models.UniqueConstraint(fields=["check_record", "item"], name="poverty_item_once")]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {'✓' if self.passed else '✗'}"


class ObjectKind(models.TextChoices):
    UNSTABLE = "unstable", _("脱贫不稳定户")
    EDGE = "edge", _("边缘易致贫户")
    SUDDEN = "sudden", _("突发严重困难户")


class RiskType(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    ACCIDENT = "accident", _("因意外")
    EMPLOYMENT = "employment", _("因就业")
    OTHER = "other", _("其他")


class LeadSource(models.TextChoices):
    DECLARED = "declared", _("农户申报")
    SCREENING = "screening", _("干部排查")
    DEPARTMENT = "department", _("部门筛查预警")


class Stage(models.TextChoices):
    """The five steps of a lead, in order; ``done`` after 县级审定, ``rejected`` when one refused."""

    VERIFY = "verify", _("入户核实")
    REVIEW = "review", _("民主评议")
    NOTICE = "notice", _("公示")
    TOWNSHIP = "township", _("乡镇初审")
    COUNTY = "county", _("县级审定")
    DONE = "done", _("已纳入监测")
    REJECTED = "rejected", _("未纳入")


STEPS = (Stage.VERIFY, Stage.REVIEW, Stage.NOTICE, Stage.TOWNSHIP, Stage.COUNTY)
OPEN_STAGES = STEPS


class Lead(models.Model):
    """A 线索 of a household at risk, through 入户核实 → 民主评议 → 公示 → 乡镇初审 → 县级审定
    within its deadline (calendar days from the lead); approved, it becomes a monitoring object."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("户"), on_delete=models.PROTECT, related_name="poverty_leads"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("线索来源"), max_length=12, choices=LeadSource.choices)
    kind = models.CharField(_("拟纳入类型"), max_length=10, choices=ObjectKind.choices)
    risk_type = models.CharField(_("风险类型"), max_length=12, choices=RiskType.choices)
    reason = models.CharField(_("线索说明"), max_length=300)
    raised_on = models.DateField(_("线索日期"), db_index=True)
    deadline = models.DateField(_("办结期限"))
    stage = models.CharField(_("当前环节"), max_length=10, choices=Stage.choices, default=Stage.VERIFY)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True)
    by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("监测线索")
        verbose_name_plural = _("监测线索")
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.raised_on}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class LeadStep(models.Model):
    """One step done: who, when, what was found; 公示 also its first and last day (≥ 5 days)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    approved = models.BooleanField(_("通过"), default=True)
    done_on = models.DateField(_("办理日期"))
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_to = models.DateField(_("公示结束"), null=True, blank=True)
    note = models.CharField(_("办理意见"), max_length=300, blank=True)
    by = models.ForeignKey(USER, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线索办理环节")
        verbose_name_plural = _("线索办理环节")
        ordering = ["lead", "id"]
        constraints = [models.UniqueConstraint(fields=["lead", "step"], name="poverty_step_once")]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.done_on}"


class ObjectStatus(models.TextChoices):
    MONITORED = "monitored", _("监测中")
    ELIMINATED = "eliminated", _("风险已消除")


class MonitoringObject(models.Model):
    """A household under 防返贫监测: its kind and risk, from its approved lead."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("户"), on_delete=models.PROTECT, related_name="monitoring"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.OneToOneField(
        Lead,
        verbose_name=_("来源线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="object",
    )
    kind = models.CharField(_("监测对象类型"), max_length=10, choices=ObjectKind.choices)
    risk_type = models.CharField(_("风险类型"), max_length=12, choices=RiskType.choices)
    started_on = models.DateField(_("纳入监测日期"))
    no_labour = models.BooleanField(_("无劳动能力"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=ObjectStatus.choices, default=ObjectStatus.MONITORED
    )
    eliminated_on = models.DateField(_("风险消除日期"), null=True, blank=True)
    eliminated_by = models.ForeignKey(
        USER, verbose_name=_("认定人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("监测对象")
        verbose_name_plural = _("监测对象")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="monitored"),
                name="poverty_one_open_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household_id}"


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("产业帮扶")
    EMPLOYMENT = "employment", _("就业帮扶")
    HEALTH = "health", _("健康帮扶")
    EDUCATION = "education", _("教育帮扶")
    HOUSING = "housing", _("住房保障")
    FINANCE = "finance", _("金融帮扶")
    ASSISTANCE = "assistance", _("社会救助")
    OTHER = "other", _("其他")


class Measure(models.Model):
    """A 帮扶措施 for a monitoring object, with the cadre who answers for it."""

    monitored = models.ForeignKey(MonitoringObject, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("措施类型"), max_length=12, choices=MeasureKind.choices)
    description = models.CharField(_("措施内容"), max_length=300)
    cadre = models.CharField(_("责任帮扶干部"), max_length=50)
    started_on = models.DateField(_("落实日期"))
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["monitored", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class MonthlyIncome(models.Model):
    """The household's per-person income of a month (元), recorded while it is monitored."""

    monitored = models.ForeignKey(MonitoringObject, on_delete=models.CASCADE, related_name="incomes")
    month = models.DateField(_("月份"))  # the first day of the month
    income_per_person = models.DecimalField(_("当月人均纯收入（元）"), max_digits=10, decimal_places=2)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("月度收入")
        verbose_name_plural = _("月度收入")
        ordering = ["monitored", "month"]
        constraints = [
            models.UniqueConstraint(fields=["monitored", "month"], name="poverty_income_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.income_per_person}"


class WarningRule(models.TextChoices):
    CERTIFICATE = "certificate", _("新办残疾人证")
    ILLNESS = "illness", _("重大疾病")
    INCOME = "income", _("人均收入低于稳定线")
    ITEM = "item", _("三保障或饮水安全未达标")
    DEATH = "death", _("主要劳动力死亡")


class WarningStatus(models.TextChoices):
    OPEN = "open", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("已排除")


class RiskWarning(models.Model):
    """An early warning raised by a rule over the records, with its reason, for a social worker to
    confirm (it becomes a lead, source 部门筛查预警) or dismiss. ``key`` names what raised it, so a
    daily run never raises the same warning twice."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("户"), on_delete=models.PROTECT, related_name="poverty_warnings"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(_("预警规则"), max_length=12, choices=WarningRule.choices)
    key = models.CharField(max_length=80, unique=True)
    reason = models.CharField(_("预警原因"), max_length=300)
    raised_on = models.DateField(_("预警日期"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理说明"), max_length=300, blank=True)
    lead = models.OneToOneField(
        Lead,
        verbose_name=_("转为线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="warning",
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("返贫预警")
        verbose_name_plural = _("返贫预警")
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.reason


class BatchStatus(models.TextChoices):
    WAITING = "waiting", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BookletBatch(models.Model):
    """The 一户一册 of every household of a grid or community as one PDF, made in the background."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("网格/社区"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.WAITING
    )
    total = models.PositiveIntegerField(_("户数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("一户一册批量打印")
        verbose_name_plural = _("一户一册批量打印")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return (
            100 if self.status == BatchStatus.DONE else (100 * self.done // self.total if self.total else 0)
        )


class WarningRun(models.Model):
    """One run of the early-warning rules (daily, or on demand): when, as of which day, what it raised."""

    on = models.DateField(_("规则日期"))
    started_at = models.DateTimeField(_("运行时间"), auto_now_add=True)
    raised = models.PositiveIntegerField(_("新增预警"), default=0)
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("预警规则运行")
        verbose_name_plural = _("预警规则运行")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.on}: {self.raised}"
