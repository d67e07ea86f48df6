"""需求清单: needs, their steps, problems found and resolved, and satisfaction.

A need moves 待评估 → 待对接 → 已对接 → 服务中 → 已满足, or ends 无法满足 with a reason; each
step is a ``NeedStep`` row (who, when, from, to, note). Every need has a responsible unit
(责任清单), a responsible person and a deadline; an open need past its deadline is overdue.
Accepting a matching suggestion (or referring by hand) refers the need to the provider
organization (``referred_to``): that organization's users see the need through the organization
axis of scoping, and no other need. Each referral is a ``Referral`` row: it waits for the
organization (待接收), which accepts it (已接收) or returns it with a reason (已退回: the need goes
back to 待对接 for the social worker to refer elsewhere, the resource's capacity is released).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.models import Satisfaction, TranslatedName
from wushe.core.scoping import ScopedManager


class NeedCategory(TranslatedName):
    """The configurable list of need categories (康复训练, 心理慰藉, 辅助就业 …), with their
    English names (``name_en``, shown as ``label``)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("需求类别")
        verbose_name_plural = _("需求类别")
        ordering = ["order", "code"]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class NeedSource(models.TextChoices):
    VISIT = "visit", _("入户走访")
    REQUEST = "request", _("工作室诉求")
    SELF = "self", _("本人申报")
    REFERRAL = "referral", _("转介")
    CHECK = "check", _("入户核查")


class NeedStatus(models.TextChoices):
    ASSESS = "assess", _("待评估")
    TO_MATCH = "to_match", _("待对接")
    MATCHED = "matched", _("已对接")
    IN_SERVICE = "in_service", _("服务中")
    MET = "met", _("已满足")
    UNMET = "unmet", _("无法满足")


OPEN_STATUSES = (NeedStatus.ASSESS, NeedStatus.TO_MATCH, NeedStatus.MATCHED, NeedStatus.IN_SERVICE)
STATUS_ORDER = [s.value for s in NeedStatus]


class Need(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="needs"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    category = models.ForeignKey(NeedCategory, verbose_name=_("需求类别"), on_delete=models.PROTECT)
    description = models.CharField(_("需求描述"), max_length=300)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    source = models.CharField(_("来源"), max_length=10, choices=NeedSource.choices, default=NeedSource.VISIT)
    status = models.CharField(
        _("状态"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.ASSESS, db_index=True
    )
    unmet_reason = models.CharField(_("无法满足的原因"), max_length=300, blank=True)
    reported_on = models.DateField(_("登记日期"))
    responsible_unit = models.ForeignKey(
        "partners.ResponsibilityUnit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    deadline = models.DateField(_("办结期限"))
    referred_to = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("转介至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_needs",
    )
    referred_at = models.DateTimeField(_("转介时间"), null=True, blank=True)
    resource = models.ForeignKey(
        "partners.Resource",
        verbose_name=_("对接资源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("对接项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    met_at = models.DateTimeField(_("满足时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # how many times the need was saved: a change made offline names the version it started
    # from, and a step that finds the need changed since answers with both values
    # (``services.need_advance(base_version=…)``, the visits' offline queue)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "referred_to"
    history = HistoricalRecords(excluded_fields=["created_at", "version"])

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="need_region_status_idx"),
            models.Index(fields=["responsible_unit", "status"], name="need_unit_status_idx"),
            models.Index(fields=["status", "deadline"], name="need_status_deadline_idx"),
            models.Index(fields=["reported_on", "id"], name="need_day_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="met") | models.Q(met_at__isnull=False), name="need_met_has_time"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="unmet") | ~models.Q(unmet_reason=""), name="need_unmet_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.description[:20]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Every save of a stored need is a new version (the services and the corrections all
        save through here, under the row's lock)."""
        if not self._state.adding:
            self.version += 1
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = [*fields, "version"]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class NeedStep(models.Model):
    """One step of a need's workflow: who moved it, when, from which status to which."""

    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(_("原状态"), max_length=12, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=NeedStatus.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "need__region"
    scope_org_field: ClassVar[str] = "need__referred_to"

    class Meta:
        verbose_name = _("需求办理步骤")
        verbose_name_plural = _("需求办理步骤")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReferralState(models.TextChoices):
    WAITING = "waiting", _("待机构接收")
    ACCEPTED = "accepted", _("机构已接收")
    RETURNED = "returned", _("机构已退回")


class Referral(models.Model):
    """One referral of a need to an organization (through a resource, a project, or by hand),
    and the organization's answer. The need's ``referred_to`` names the organization of its
    current referral (waiting or accepted); a returned referral stays as history."""

    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="referrals")
    organization = models.ForeignKey(
        "partners.Organization", verbose_name=_("转介至"), on_delete=models.PROTECT, related_name="referrals"
    )
    resource = models.ForeignKey(
        "partners.Resource",
        verbose_name=_("资源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    manual = models.BooleanField(_("手动转介"), default=False)
    reasons = models.TextField(_("转介理由"), blank=True)
    state = models.CharField(
        _("接收情况"), max_length=10, choices=ReferralState.choices, default=ReferralState.WAITING
    )
    referred_at = models.DateTimeField(_("转介时间"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转介人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_note = models.CharField(_("答复说明"), max_length=300, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "need__region"
    scope_org_field: ClassVar[str] = "organization"

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = _("转介")
        ordering = ["-referred_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"], name="referral_org_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="returned") | ~models.Q(answer_note=""),
                name="referral_returned_has_reason",
            ),
            models.UniqueConstraint(
                fields=["need"],
                condition=models.Q(state__in=["waiting", "accepted"]),
                name="referral_one_current_per_need",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need} → {self.organization}"

    @property
    def is_current(self) -> bool:
        return self.state != ReferralState.RETURNED


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待解决")
    RESOLVED = "resolved", _("已解决")


class ProblemSource(models.TextChoices):
    VISIT = "visit", _("入户走访")
    REQUEST = "request", _("诉求")


class Problem(models.Model):
    """A problem found (on a visit or from a request), resolved with a note."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="problems"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=ProblemSource.choices, default=ProblemSource.VISIT
    )
    description = models.CharField(_("问题描述"), max_length=300)
    found_on = models.DateField(_("发现日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, db_index=True
    )
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    resolution = models.CharField(_("解决情况"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解决人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
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
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["region", "found_on"], name="problem_region_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="resolved") | models.Q(resolved_on__isnull=False),
                name="problem_resolved_has_day",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:30]
