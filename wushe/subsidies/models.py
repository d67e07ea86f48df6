"""残疾人两项补贴: the rules per region and year (who qualifies, who is excluded, the monthly amount
by level), applications with their three approvals, and the monthly rosters as approved and paid.

Who is paid in a month is never stored while the month is open: it is computed from the
registry's dated facts as of the month's first day (``eligibility``/``rosters``). Approving a
roster freezes its lines; later corrections of a paid month are new lines on a later roster
(补发 or 追回), never changes to the frozen ones."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.fields import EncryptedTextField
from wushe.core.scoping import ScopedManager


class Kind(models.TextChoices):
    LIVING = "living", _("困难残疾人生活补贴")
    NURSING = "nursing", _("重度残疾人护理补贴")


class SubsidyRule(models.Model):
    """The rule of one subsidy for a region's subtree from a year on (until a later year's rule):
    CEL clauses over ``registry.facts`` (all must hold), their labels, the monthly amount by
    disability level, and the allowances of the same kind a person takes instead when higher
    (择高申领: tag code → monthly amount)."""

    region = models.ForeignKey("core.Region", verbose_name=_("适用区域"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("起始年度"))
    kind = models.CharField(_("补贴"), max_length=10, choices=Kind.choices)
    clauses = models.JSONField(_("条件（CEL 表达式）"), default=dict)
    labels = models.JSONField(_("条件说明"), default=dict, blank=True)
    amount_1 = models.DecimalField(_("一级（元/月）"), max_digits=8, decimal_places=2, default=Decimal(0))
    amount_2 = models.DecimalField(_("二级（元/月）"), max_digits=8, decimal_places=2, default=Decimal(0))
    amount_3 = models.DecimalField(_("三级（元/月）"), max_digits=8, decimal_places=2, default=Decimal(0))
    amount_4 = models.DecimalField(_("四级（元/月）"), max_digits=8, decimal_places=2, default=Decimal(0))
    alternatives = models.JSONField(_("择高申领的同类津贴（人员类别代码 → 元/月）"), default=dict, blank=True)
    review_months = models.PositiveSmallIntegerField(_("复核周期（月）"), default=12)
    note = models.CharField(_("依据文件"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("补贴规则")
        verbose_name_plural = _("补贴规则")
        ordering = ["region__path", "kind", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "kind"], name="subsidyrule_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_kind_display()}"

    def amount_for(self, level: int) -> Decimal:
        return Decimal(getattr(self, f"amount_{level}", 0) or 0) if 1 <= level <= 4 else Decimal(0)

    def clean(self) -> None:
        """The clauses parse (CEL), the 择高 allowances name tags: checked on the settings page too."""
        from .eligibility import rule_validate  # eligibility reads this model

        if not isinstance(self.clauses, dict) or not all(isinstance(v, str) for v in self.clauses.values()):
            raise ValidationError({"clauses": _("条件须为“名称: 表达式”的对象")})
        if not isinstance(self.alternatives, dict) or not isinstance(self.labels, dict):
            raise ValidationError({"alternatives": _("须为对象")})
        rule_validate(
            clauses=self.clauses,
            alternatives=self.alternatives,
            amounts=[self.amount_1, self.amount_2, self.amount_3, self.amount_4],
        )


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待乡镇（街道）初审")
    TOWN_OK = "town_ok", _("待县残联审核")
    CDPF_OK = "cdpf_ok", _("待县民政审定")
    APPROVED = "approved", _("已审定，发放中")
    REJECTED = "rejected", _("未通过")
    ENDED = "ended", _("已停发")


class Applicant(models.TextChoices):
    SELF = "self", _("本人")
    GUARDIAN = "guardian", _("监护人")


OPEN_STATUSES = (Status.SUBMITTED, Status.TOWN_OK, Status.CDPF_OK, Status.APPROVED)


class Application(models.Model):
    """An application for one subsidy: payment starts the month it was made (``month``), once
    approved; it ends (``ended_from``, a month's first day) after a failed review."""

    region = models.ForeignKey("core.Region", verbose_name=_("所属社区/网格"), on_delete=models.PROTECT)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("残疾人"),
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
    )
    kind = models.CharField(_("补贴"), max_length=10, choices=Kind.choices)
    applicant = models.CharField(
        _("申请人"), max_length=10, choices=Applicant.choices, default=Applicant.SELF
    )
    applicant_name = models.CharField(_("申请人姓名"), max_length=50)
    bank_name = models.CharField(_("开户银行"), max_length=60)
    bank_account = EncryptedTextField(_("银行账号"))
    bank_account_masked = models.CharField(_("银行账号"), max_length=40, editable=False)
    applied_on = models.DateField(_("申请日期"))
    month = models.DateField(_("发放起始月"))  # the first day of the application's month
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    publicity_until = models.DateField(_("公示截止"), null=True, blank=True)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    reviewed_on = models.DateField(_("最近复核"), null=True, blank=True)
    ended_from = models.DateField(_("停发起始月"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("补贴申请")
        verbose_name_plural = _("补贴申请")
        ordering = ["-applied_on", "-pk"]
        permissions = [
            ("review_county", _("县残联审核补贴申请")),
            ("approve_county", _("县民政审定补贴申请")),
            ("pay", _("导出补贴发放名册并确认发放")),
            ("reveal_bank_account", _("查看完整银行账号")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=["submitted", "town_ok", "cdpf_ok", "approved"]),
                name="subsidyapplication_one_open",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"], name="subsidyapp_region_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class Step(models.TextChoices):
    SUBMIT = "submit", _("提交申请")
    TOWN = "town", _("乡镇（街道）初审")
    CDPF = "cdpf", _("县残联审核")
    MCA = "mca", _("县民政审定")
    REVIEW = "review", _("定期复核")


class ApplicationStep(models.Model):
    """One step of an application: who, when, the decision and a note. Never changed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("环节"), max_length=10, choices=Step.choices)
    passed = models.BooleanField(_("通过"), default=True)
    note = models.CharField(_("意见"), max_length=300, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("公示天数"), default=0)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("审批环节")
        verbose_name_plural = _("审批环节")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.at:%Y-%m-%d}"


class RosterStatus(models.TextChoices):
    APPROVED = "approved", _("街道已审定")
    PAID = "paid", _("已发放")


class Roster(models.Model):
    """The approved roster of a street for a month, kept as it was paid."""

    region = models.ForeignKey("core.Region", verbose_name=_("街道/乡镇"), on_delete=models.PROTECT)
    month = models.DateField(_("月份"))
    status = models.CharField(
        _("状态"), max_length=10, choices=RosterStatus.choices, default=RosterStatus.APPROVED
    )
    living = models.PositiveIntegerField(_("生活补贴人数"), default=0)
    nursing = models.PositiveIntegerField(_("护理补贴人数"), default=0)
    amount = models.DecimalField(_("发放金额（元）"), max_digits=14, decimal_places=2, default=Decimal(0))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审定时间"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("补贴发放名册")
        verbose_name_plural = _("补贴发放名册")
        ordering = ["-month", "region__path"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="roster_one_per_month")]

    def __str__(self) -> str:
        return f"{self.region} {self.month:%Y-%m}"


class LineKind(models.TextChoices):
    PAY = "pay", _("本月发放")
    STOP = "stop", _("停发")
    ARREARS = "arrears", _("补发")
    RECOVERY = "recovery", _("追回")


class Change(models.TextChoices):
    NEW = "new", _("新增")
    SAME = "same", _("无变化")
    CHANGED = "changed", _("金额变化")
    STOPPED = "stopped", _("停发")


class RosterLine(models.Model):
    """One line of an approved roster: a month's payment (with its change since the previous
    month), a stop (amount 0, with why), or a correction of an earlier paid month (补发 positive,
    追回 negative)."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="lines")
    region = models.ForeignKey("core.Region", verbose_name=_("所属社区/网格"), on_delete=models.PROTECT)
    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT)
    person = models.ForeignKey("registry.Person", verbose_name=_("残疾人"), on_delete=models.PROTECT)
    kind = models.CharField(_("补贴"), max_length=10, choices=Kind.choices)
    line = models.CharField(_("类型"), max_length=10, choices=LineKind.choices)
    for_month = models.DateField(_("所属月份"))
    level = models.PositiveSmallIntegerField(_("残疾等级"), default=0)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    change = models.CharField(_("变化"), max_length=10, choices=Change.choices, blank=True)
    reason = models.CharField(_("原因"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("名册明细")
        verbose_name_plural = _("名册明细")
        ordering = ["roster", "kind", "line", "pk"]
        indexes = [models.Index(fields=["application", "for_month"], name="rosterline_app_month_idx")]

    def __str__(self) -> str:
        return f"{self.get_line_display()} {self.for_month:%Y-%m} {self.amount}"
