"""项目清单: projects undertaken by an organization, with funding, budget, period, target group,
planned and achieved indicators, and the needs and resources linked to them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.scoping import ScopedManager


class ProjectKind(models.TextChoices):
    DISABILITY = "disability", _("助残服务")
    CARE = "care", _("照护服务")
    REHAB = "rehab", _("康复服务")
    EMPLOYMENT = "employment", _("就业帮扶")
    CHARITY = "charity", _("慈善项目")
    ACTIVITY = "activity", _("社区活动")
    POVERTY = "poverty", _("社工+扶贫")


class Project(models.Model):
    """项目清单: a project undertaken by an organization for the area it serves (``region``: a
    grid, a community or a street). The organization's users see it through the organization axis
    of scoping, and the users of every region below the area see it too (``scope_serves_below``:
    a street's project serves its communities, as a street's resource does)."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("实施区域"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("项目类型"), max_length=12, choices=ProjectKind.choices)
    organization = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("承接组织"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    funding_source = models.CharField(_("资金来源"), max_length=100, blank=True)
    budget = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2, default=0)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    target_group = models.CharField(_("服务对象"), max_length=200, blank=True)
    planned_indicators = models.TextField(_("计划指标"), blank=True)
    achieved_indicators = models.TextField(_("完成指标"), blank=True)
    categories = models.ManyToManyField(
        "needs.NeedCategory", verbose_name=_("服务的需求类别"), blank=True, related_name="projects"
    )
    resources = models.ManyToManyField(
        "partners.Resource", verbose_name=_("关联资源"), blank=True, related_name="projects"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organization"
    scope_serves_below: ClassVar[bool] = True
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-start_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="project_unique_name"),
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")), name="project_period_ordered"
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name
