"""五门一声 home visits: one record per visit to a person or household, the six parts as fields.

敲开家门 (reached the household? if not, why), 服务上门 (services done at the door), 政策进门
(policies explained, leaflets handed over), 打开心门 (emotional support, mood observed), 找准窍门
(the key problem and the plan), 聆听心声 (the resident's own words). Needs and problems found on
a visit point back at it (``needs.Need.visit``, ``needs.Problem.visit``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.scoping import ScopedManager


class Channel(models.TextChoices):
    HOME = "home", _("入户")
    PHONE = "phone", _("电话")
    STATION = "station", _("驻室")


class DoorService(models.TextChoices):
    """服务上门: what was done at the door (a list, not free text, so it can be counted)."""

    CLEANING = "cleaning", _("助洁")
    MEALS = "meals", _("助餐")
    MEDICAL = "medical", _("助医")
    REHAB = "rehab", _("康复指导")
    AIDS = "aids", _("辅具送达/调试")
    PAPERWORK = "paperwork", _("代办事项")
    REPAIR = "repair", _("家居维修")
    HAIRCUT = "haircut", _("理发")


class Mood(models.TextChoices):
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    LOW = "low", _("低落")
    DISTRESSED = "distressed", _("焦虑/情绪困扰")


class Visit(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="visits"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("走访对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(_("走访日期"))
    channel = models.CharField(_("走访方式"), max_length=10, choices=Channel.choices, default=Channel.HOME)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("社工"), blank=True, related_name="visits"
    )
    volunteers = models.CharField(_("参与志愿者"), max_length=200, blank=True)
    # 敲开家门
    reached = models.BooleanField(_("敲开家门"), default=True)
    not_reached_reason = models.CharField(_("未入户原因"), max_length=200, blank=True)
    # 服务上门
    services_done = models.JSONField(_("服务上门"), default=list, blank=True)
    services_note = models.CharField(_("服务说明"), max_length=200, blank=True)
    # 政策进门
    policies_explained = models.PositiveSmallIntegerField(_("宣讲政策数"), default=0)
    policies_note = models.CharField(_("宣讲的政策"), max_length=200, blank=True)
    leaflets = models.PositiveSmallIntegerField(_("发放宣传资料（份）"), default=0)
    # 打开心门
    emotional_support = models.CharField(_("心理疏导"), max_length=300, blank=True)
    mood = models.CharField(_("情绪状况"), max_length=12, choices=Mood.choices, blank=True)
    # 找准窍门
    key_problem = models.CharField(_("关键问题"), max_length=300, blank=True)
    plan = models.CharField(_("解决办法"), max_length=300, blank=True)
    # 聆听心声
    resident_words = models.TextField(_("居民心声"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            # the visit figures of a period (count, households, leaflets, policies) read this
            # index alone on PostgreSQL (an index-only scan; elsewhere the columns are ignored)
            models.Index(
                fields=["region", "visited_on"],
                name="visit_region_day_idx",
                include=["id", "household", "leaflets", "policies_explained"],
            ),
            models.Index(fields=["household", "visited_on"], name="visit_household_day_idx"),
            # the list's order; with the household, the coverage's recent visits read it alone
            models.Index(fields=["visited_on", "id"], name="visit_day_id_idx", include=["household"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(household__isnull=False) | models.Q(person__isnull=False),
                name="visit_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_channel_display()}"

    def services_labels(self) -> list[str]:
        labels = dict(DoorService.choices)
        return [str(labels.get(code, code)) for code in self.services_done or []]


class OfflineReceipt(models.Model):
    """One item of a worker's offline queue, received: the key the browser made for it (a UUID)
    and what the server answered, so that the same item sent again (a retry, a queue replayed)
    gets the earlier answer and never makes a second record. Keyed by the user and the key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.UUIDField(_("幂等键"))
    kind = models.CharField(_("类型"), max_length=20)  # "visit" or "need_status"
    result = models.JSONField(_("结果"), default=dict)  # the ids the first request answered
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("离线提交回执")
        verbose_name_plural = _("离线提交回执")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="offline_receipt_user_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
