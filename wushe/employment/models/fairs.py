"""Job fairs: enterprises with their 统一社会信用代码, positions, applications, hires and their
follow-up."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager

from .common import _Made


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
