"""Volunteer teams (志愿服务队), volunteers, their service records and proofs of service hours.

A team is the profile of a ``partners.Organization`` of kind ``volunteer_team``: its leader
(志愿服务队队长) is granted TEAM_LEADER on that organization and sees the team's volunteers
and records (``scope_org_field``). A volunteer is shown by the volunteer number, never by an ID
number. Hours are logged by the volunteer or the leader and count once the leader verified them.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.scoping import ScopedManager


class Team(models.Model):
    organization = models.OneToOneField(
        "partners.Organization",
        verbose_name=_("志愿服务队"),
        on_delete=models.PROTECT,
        related_name="volunteer_team",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    sponsor = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("依托组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_teams",
        help_text=_("队伍所依托的社会组织；依托社区的不填"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("队长账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader_name = models.CharField(_("队长"), max_length=50, blank=True)
    code = models.CharField(_("队伍编号"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organization"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.organization.name


class Volunteer(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("志愿服务队"), on_delete=models.PROTECT, related_name="volunteers"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("志愿者编号"), max_length=20, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("对应在册居民"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_profiles",
    )
    skills = models.CharField(_("服务特长"), max_length=200, blank=True)
    joined_on = models.DateField(_("加入日期"))
    active = models.BooleanField(_("在队"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "team__organization"

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["number"]
        indexes = [models.Index(fields=["team", "active"], name="volunteer_team_active_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"


class ServiceKind(models.TextChoices):
    MEAL = "meal", _("助餐")
    CLEAN = "clean", _("助洁")
    EMERGENCY = "emergency", _("助急")
    MEDICAL = "medical", _("助医")
    COMPANY = "company", _("陪伴关怀")
    PUBLICITY = "publicity", _("宣传服务")
    OTHER = "other", _("其他")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    VERIFIED = "verified", _("已核实")
    REJECTED = "rejected", _("未通过")


class ServiceRecord(models.Model):
    """Time actually serving (travel excluded), per 志愿服务记录与证明出具办法."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="records"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("志愿服务队"), on_delete=models.PROTECT, related_name="records"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1)
    kind = models.CharField(_("服务类型"), max_length=12, choices=ServiceKind.choices)
    content = models.CharField(_("服务内容"), max_length=200)
    beneficiary = models.CharField(_("服务对象"), max_length=100, blank=True)
    recipient = models.ForeignKey(
        "registry.Person",
        verbose_name=_("服务对象（在册居民）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )  # who received the service, when a registered resident did: their page lists it
    activity = models.ForeignKey(
        "casework.Activity",
        verbose_name=_("所属活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verify_note = models.CharField(_("核实意见"), max_length=200, blank=True)
    # A verified record is never edited: a correction appends the reversing record (the same
    # hours, negative, naming the record it reverses) and, if need be, the corrected record.
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("冲销的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "team__organization"
    warnings: list[str]  # set by services.service_record_log for the page and the API (not a column)
    history = HistoricalRecords(excluded_fields=["logged_at"])

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["volunteer", "status"], name="vrecord_volunteer_status_idx"),
            models.Index(fields=["team", "status"], name="vrecord_team_status_idx"),
            # verified hours of a region and period, by service type: an index-only scan
            models.Index(
                fields=["region", "status", "on"],
                name="vrecord_region_status_on_idx",
                include=["kind", "hours"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24, corrects__isnull=True)
                | models.Q(hours__lt=0, hours__gte=-24, corrects__isnull=False),
                name="vrecord_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.on} {self.hours}"

    @property
    def is_reversal(self) -> bool:
        return self.corrects_id is not None


class EntryKind(models.TextChoices):
    """What a volunteer record holds beside the service (志愿服务记录与证明出具办法)."""

    TRAINING = "training", _("培训")
    AWARD = "award", _("表彰奖励")
    EVALUATION = "evaluation", _("评价")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class VolunteerEntry(models.Model):
    """A training attended, an award received or an evaluation made, on the volunteer's record."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="entries"
    )
    team = models.ForeignKey(Team, verbose_name=_("志愿服务队"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=EntryKind.choices)
    on = models.DateField(_("日期"))
    title = models.CharField(_("名称"), max_length=100, help_text=_("培训名称、奖项名称或评价期间"))
    issuer = models.CharField(_("组织或授予单位"), max_length=100, blank=True)
    hours = models.DecimalField(_("培训时长（小时）"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("评价等次"), max_length=10, choices=Grade.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "team__organization"
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        verbose_name = _("志愿者培训、表彰和评价")
        verbose_name_plural = _("志愿者培训、表彰和评价")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["volunteer", "kind", "on"], name="ventry_volunteer_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gt=0, hours__lte=1000),
                name="ventry_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"


class Proof(models.Model):
    """志愿服务记录证明: volunteer (name, number), verified hours and content, issuer, number, date."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="proofs"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("志愿服务队"), on_delete=models.PROTECT, related_name="proofs"
    )
    number = models.CharField(_("证明编号"), max_length=24, unique=True)
    issued_on = models.DateField(_("出具日期"))
    issuer = models.CharField(_("出具单位"), max_length=100)
    period_start = models.DateField(_("起始日期"), null=True, blank=True)
    period_end = models.DateField(_("截止日期"), null=True, blank=True)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=8, decimal_places=1)
    record_count = models.PositiveIntegerField(_("服务次数"))
    content = models.TextField(_("服务内容"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "team__organization"

    class Meta:
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number
