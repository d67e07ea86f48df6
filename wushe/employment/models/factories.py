"""Micro-factories (微工厂): investment with its source, workers with their households, monthly
output and pay."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager

from .common import _Made


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
