"""困难重度残疾人照护 (and 精神障碍社区康复, the same model as another plan kind): a care plan per
household — the assessment, the services with their frequency, the provider and its workers, the
start and review dates —, the provider's monthly service records, and the training given to
family carers. Planned against done is computed from the plan's services and the records."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TranslatedName
from wushe.core.scoping import ScopedManager

# the service type whose monthly delivery the figure ``care.monthly_cleaning`` counts
CLEANING = "cleaning"


class ServiceType(TranslatedName):
    """A configurable category of care service (生活照料, 居家环境清洁, 清除积雪 …)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("照护服务类别")
        verbose_name_plural = _("照护服务类别")
        ordering = ["order", "id"]


class PlanKind(models.TextChoices):
    SEVERE = "severe", _("困难重度残疾人照护")
    MENTAL = "mental", _("精神障碍社区康复")


class SelfCare(models.TextChoices):
    FULL = "full", _("完全自理")
    PARTIAL = "partial", _("部分自理")
    NONE = "none", _("完全不能自理")


class CarePlan(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="care_plans"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("户"), on_delete=models.PROTECT, related_name="care_plans"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("照护对象"), on_delete=models.PROTECT, related_name="care_plans"
    )
    kind = models.CharField(_("项目类型"), max_length=10, choices=PlanKind.choices, default=PlanKind.SEVERE)
    self_care = models.CharField(_("自理能力"), max_length=10, choices=SelfCare.choices)
    needs = models.TextField(_("照护需求评估"))
    assessed_on = models.DateField(_("评估日期"))
    provider = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("服务机构"),
        on_delete=models.PROTECT,
        related_name="care_plans",
    )
    workers = models.CharField(_("服务人员"), max_length=200, help_text=_("多人以顿号或逗号分隔"))
    started_on = models.DateField(_("开始日期"))
    review_on = models.DateField(_("复评日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "provider"

    class Meta:
        verbose_name = _("照护计划")
        verbose_name_plural = _("照护计划")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["region", "started_on"], name="care_plan_region_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_on__gte=models.F("started_on")), name="care_plan_review_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="care_plan_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.get_kind_display()}"


class PlannedService(models.Model):
    """One service of a plan: how many times a month, in which months (blank: every month)."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="services")
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("服务类别"), on_delete=models.PROTECT, related_name="+"
    )
    times_per_month = models.PositiveSmallIntegerField(_("每月次数"))
    months = models.CharField(
        _("服务月份"), max_length=40, blank=True, help_text=_("如 11,12,1,2；不填为每月")
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "plan__region"
    scope_org_field: ClassVar[str] = "plan__provider"

    class Meta:
        verbose_name = _("计划服务")
        verbose_name_plural = _("计划服务")
        ordering = ["plan", "service_type__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "service_type"], name="care_planned_once"),
            models.CheckConstraint(
                condition=models.Q(times_per_month__gte=1), name="care_planned_at_least_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} ×{self.times_per_month}"

    def month_numbers(self) -> set[int]:
        return {int(m) for m in self.months.split(",") if m.strip()} if self.months else set(range(1, 13))


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIR = "fair", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class ServiceRecord(models.Model):
    """What the provider did on one visit: the service, the day, how long, who, the resident's
    satisfaction."""

    plan = models.ForeignKey(
        CarePlan, verbose_name=_("照护计划"), on_delete=models.PROTECT, related_name="records"
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("服务类别"), on_delete=models.PROTECT, related_name="+"
    )
    served_on = models.DateField(_("服务日期"), db_index=True)
    minutes = models.PositiveSmallIntegerField(_("服务时长（分钟）"))
    worker = models.CharField(_("服务人员"), max_length=50)
    content = models.CharField(_("服务内容"), max_length=200, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "plan__region"
    scope_org_field: ClassVar[str] = "plan__provider"

    class Meta:
        verbose_name = _("照护服务记录")
        verbose_name_plural = _("照护服务记录")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="care_record_minutes_positive")
        ]

    def __str__(self) -> str:
        return f"{self.served_on} {self.service_type}"


class CarerTraining(models.Model):
    """Training given to a household's family carer."""

    plan = models.ForeignKey(
        CarePlan, verbose_name=_("照护计划"), on_delete=models.PROTECT, related_name="trainings"
    )
    trained_on = models.DateField(_("培训日期"))
    carer = models.CharField(_("家庭照护者"), max_length=50)
    topic = models.CharField(_("培训内容"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    trainer = models.CharField(_("培训人"), max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "plan__region"
    scope_org_field: ClassVar[str] = "plan__provider"

    class Meta:
        verbose_name = _("照护者培训")
        verbose_name_plural = _("照护者培训")
        ordering = ["-trained_on", "-id"]

    def __str__(self) -> str:
        return f"{self.trained_on} {self.topic}"
