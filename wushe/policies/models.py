"""政策找人: the catalogue of policies (who gives what, on which legal basis, how to apply, and who
qualifies — a CEL rule over a person's and household's facts, kept as data), each policy put into
effect for a person (落实), and the runs of the background task that lists, per policy, the people
who qualify, telling those who already receive it from those who do not (应享未享)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.fields import EncryptedTextField
from wushe.core.models import TranslatedName
from wushe.core.rules import rule_check
from wushe.core.scoping import ScopedManager


class Department(models.TextChoices):
    CIVIL = "civil", _("民政")
    DISABILITY = "disability", _("残联")
    ELDERLY = "elderly", _("养老")
    MEDICAL = "medical", _("医保")
    HEALTH = "health", _("卫健")
    EDUCATION = "education", _("教育")
    EMPLOYMENT = "employment", _("人社")
    HOUSING = "housing", _("住建")
    OTHER = "other", _("其他")


class Policy(TranslatedName):
    """One policy of the catalogue: installation-wide reference data kept by administrators on
    the settings page (no region, no personal data). ``rule`` is a CEL expression over
    ``registry.facts`` (``person``, ``household``, ``on``), checked when saved. ``receipt_tag``
    is a group tag that already means receiving it (低保: the 低保 tag); people who carry it, on
    themselves or on their household, receive it as do those it was put into effect for."""

    name = models.CharField(_("政策名称"), max_length=100, unique=True)
    department = models.CharField(
        _("主管部门"), max_length=12, choices=Department.choices, default=Department.OTHER
    )
    benefit = models.CharField(_("享受内容"), max_length=200, blank=True)
    legal_basis = models.TextField(_("政策依据"), blank=True)
    how_to_apply = models.TextField(_("申请方式"), blank=True)
    rule = models.TextField(
        _("享受条件（CEL规则）"),
        help_text=_(
            '例："dibao" in household.tags && person.has_certificate；可用 person.age、person.tags、'
            "person.disability_level、person.disability_category、household.tags、household.members"
        ),
    )
    receipt_tag = models.SlugField(
        _("已享受标记（人员类别代码）"),
        max_length=40,
        blank=True,
        help_text=_("本人或其户带有此类别即视为已享受，如低保政策填 dibao；可不填"),
    )
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策目录")
        ordering = ["sort", "department", "name"]

    def clean(self) -> None:
        """The rule parses (an error names ``rule``); the receipt tag is a known group tag."""
        self.rule = rule_check(self.rule, field="rule")
        if self.receipt_tag:
            from wushe.registry.models import Tag

            if not Tag.objects.filter(code=self.receipt_tag).exists():
                raise ValidationError(
                    {"receipt_tag": _("没有代码为“%(c)s”的人员类别") % {"c": self.receipt_tag}}
                )


class PolicyApplication(models.Model):
    """A policy put into effect (落实) for a person: the day, who recorded it, what was given.
    Recorded in error: revoked (who, when, why) — never deleted, and no longer counted."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="applications"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("享受人"),
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("落实日期"), db_index=True)
    benefit = models.CharField(_("落实内容"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政策落实")
        verbose_name_plural = _("政策落实")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "person", "applied_on"],
                condition=models.Q(revoked_at__isnull=True),
                name="policy_application_once_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="policy_application_amount_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "applied_on"], name="policy_app_region_day_idx"),
            models.Index(fields=["policy", "person"], name="policy_app_policy_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.applied_on} {self.policy}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class PolicyRun(models.Model):
    """One run of the 政策找人 task over every active policy (or one), as of a day."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), null=True, blank=True, on_delete=models.CASCADE, related_name="runs"
    )
    as_of = models.DateField(_("计算日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("政策找人计算")
        verbose_name_plural = _("政策找人计算")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of} {self.get_status_display()}"


class PolicyRunResult(models.Model):
    """A run's counts for one policy."""

    run = models.ForeignKey(PolicyRun, on_delete=models.CASCADE, related_name="results")
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="run_results")
    rule = models.TextField(_("计算时的规则"))
    candidates = models.PositiveIntegerField(_("预筛后候选人数"), default=0)
    qualified = models.PositiveIntegerField(_("符合条件人数"), default=0)
    receiving = models.PositiveIntegerField(_("已享受人数"), default=0)
    undecided = models.PositiveIntegerField(_("无法判断人数"), default=0)

    class Meta:
        verbose_name = _("政策找人结果")
        verbose_name_plural = _("政策找人结果")
        constraints = [models.UniqueConstraint(fields=["run", "policy"], name="policy_run_result_once")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.policy_id}"


class PolicyMatch(models.Model):
    """A person a run found qualifying for a policy, whether they received it then, and the facts
    that made them qualify (encrypted: disability and 低保 status are sensitive)."""

    run = models.ForeignKey(PolicyRun, on_delete=models.CASCADE, related_name="matches")
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="matches")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    receiving = models.BooleanField(_("计算时已享受"), default=False)
    facts = EncryptedTextField(_("符合条件的依据"), blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("符合条件的人")
        verbose_name_plural = _("符合条件的人")
        ordering = ["region__path", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "policy", "person"], name="policy_match_once"),
        ]
        indexes = [models.Index(fields=["policy", "run", "receiving"], name="policy_match_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.person_id}"
