"""Public-welfare posts (公益岗位): recommendation, the provider's approval, placement, leaving,
monthly confirmation."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager

from .common import _Made


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
