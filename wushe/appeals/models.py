"""Studios (代表委员工作室) and residents' requests through 双向三方六步.

A studio is a ``partners.Organization`` of kind ``studio`` with three teams (党代表, 人大代表,
政协委员). A request (诉求) goes 登记 → 接待 → 转办 → 处理 → 反馈 → 归档; each step is an
``AppealStep`` row with its deadline (working days on the configurable calendar), who did it,
when, and what. The request's studio users, the users of the referred unit's organization and
the region roles of its region see it (``scope_org_field``); only the referred unit's members or
its supervisors do its 处理 (``partners.units``).

The 12345 closed loop around the six steps: 督办 — the street's supervisor presses an overdue
request (an ``AppealSupervision``: who, when, at which step, what was said); 回访 — the working
day after archiving, the requester is called back (``ReturnCall`` rows: each attempt and its
outcome; the return call is done with the first one that reached the requester).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.fields import EncryptedTextField
from wushe.core.models import Satisfaction, TranslatedName
from wushe.core.scoping import ScopedManager


class TeamKind(models.TextChoices):
    PARTY = "party", _("党代表")
    NPC = "npc", _("人大代表")
    CPPCC = "cppcc", _("政协委员")


class Studio(models.Model):
    organization = models.OneToOneField(
        "partners.Organization", verbose_name=_("工作室"), on_delete=models.PROTECT, related_name="studio"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    theme = models.CharField(_("特色"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organization"

    class Meta:
        verbose_name = _("代表委员工作室")
        verbose_name_plural = _("代表委员工作室")
        ordering = ["region", "id"]

    def __str__(self) -> str:
        return self.organization.name


class StudioTeam(models.Model):
    studio = models.ForeignKey(
        Studio, verbose_name=_("工作室"), on_delete=models.CASCADE, related_name="teams"
    )
    kind = models.CharField(_("队伍"), max_length=10, choices=TeamKind.choices)
    members = models.TextField(_("成员"), blank=True, help_text=_("每行一人：姓名和身份"))

    class Meta:
        verbose_name = _("工作室服务队伍")
        verbose_name_plural = _("工作室服务队伍")
        ordering = ["studio", "kind"]
        constraints = [models.UniqueConstraint(fields=["studio", "kind"], name="studio_team_unique")]

    def __str__(self) -> str:
        return f"{self.studio} · {self.get_kind_display()}"


class CalendarDay(TranslatedName):
    """An exception to Monday–Friday: a public holiday on a weekday, or a make-up working day
    (调休上班) on a weekend. Deadlines count working days over this calendar."""

    date = models.DateField(_("日期"), unique=True)
    working = models.BooleanField(_("上班"), help_text=_("勾选：调休上班日；不勾选：放假"))
    name = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("工作日历（节假日与调休）")
        verbose_name_plural = _("工作日历（节假日与调休）")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.label}"


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("驻室听需求")
    VISIT = "visit", _("入户摸需求")
    ONLINE = "online", _("网上")  # the residents' own request page (wushe.portal), accepted by a worker


class Category(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉")


class Step(models.TextChoices):
    REGISTER = "register", _("登记")
    RECEIVE = "receive", _("接待")
    REFER = "refer", _("转办")
    HANDLE = "handle", _("处理")
    FEEDBACK = "feedback", _("反馈")
    ARCHIVE = "archive", _("归档")


STEP_ORDER = [s.value for s in Step]


class StepLimit(models.Model):
    """How many working days a step may take (from the end of the previous step); a row with no
    category applies to every category. Without a row the defaults in ``calendar.py`` apply."""

    step = models.CharField(_("步骤"), max_length=10, choices=Step.choices)
    category = models.CharField(_("诉求类别"), max_length=12, choices=Category.choices, blank=True)
    working_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["step", "category"]
        constraints = [models.UniqueConstraint(fields=["step", "category"], name="step_limit_unique")]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.working_days}"


class Appeal(models.Model):
    studio = models.ForeignKey(
        Studio,
        verbose_name=_("工作室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        help_text=_("不经工作室（网格社工入户收集）的诉求不填"),
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("诉求编号"), max_length=20, unique=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    team = models.CharField(_("接待队伍"), max_length=10, choices=TeamKind.choices, blank=True)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("诉求人（在册居民）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    requester_name = models.CharField(_("诉求人"), max_length=50)
    requester_phone = EncryptedTextField(_("联系电话"), blank=True)
    requester_phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    content = models.TextField(_("诉求内容"))
    step = models.CharField(_("当前步骤"), max_length=10, choices=Step.choices, default=Step.REGISTER)
    due_on = models.DateField(_("下一步期限"), null=True, blank=True)
    referred_to = models.ForeignKey(
        "partners.ResponsibilityUnit",
        verbose_name=_("转办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    resolution = models.TextField(_("办理结果"), blank=True)
    resolved = models.BooleanField(_("已解决"), default=False)
    feedback = models.TextField(_("反馈内容"), blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_asked_at = models.DateTimeField(_("询问满意度时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("登记时间"))
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    return_call_due_on = models.DateField(_("回访期限"), null=True, blank=True)
    return_call_done_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[tuple[str, ...]] = ("studio__organization", "referred_to__organization")
    # corrections of what was registered (appeals.editing) name who and why; the steps keep the rest
    history = HistoricalRecords(excluded_fields=["created_at", "requester_phone"])

    class Meta:
        verbose_name = _("居民诉求")
        verbose_name_plural = _("居民诉求")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["region", "step"], name="appeal_region_step_idx"),
            models.Index(fields=["step", "due_on"], name="appeal_step_due_idx"),
            # requests registered in a period (the figures and their month-by-month trend)
            models.Index(fields=["region", "registered_at"], name="appeal_region_registered_idx"),
            models.Index(fields=["return_call_due_on"], name="appeal_return_call_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class AppealStep(models.Model):
    """A step of a request: its deadline (set when the previous step ended) and, once done, who
    did it, when and what. The pending step has ``done_at`` empty."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("步骤"), max_length=10, choices=Step.choices)
    due_on = models.DateField(_("期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("办理人"), max_length=100, blank=True)
    note = models.TextField(_("办理情况"), blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "appeal__region"
    scope_org_field: ClassVar[tuple[str, ...]] = (
        "appeal__studio__organization",
        "appeal__referred_to__organization",
    )

    class Meta:
        verbose_name = _("诉求办理步骤")
        verbose_name_plural = _("诉求办理步骤")
        ordering = ["appeal", "id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "step"], name="appeal_step_unique")]

    def __str__(self) -> str:
        return f"{self.appeal} {self.get_step_display()}"


class _LoopRecord(models.Model):
    """A record of the closed loop around a request (督办, 回访): when, by whom; seen by whoever
    sees the request."""

    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("经办人"), max_length=100, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "appeal__region"
    scope_org_field: ClassVar[tuple[str, ...]] = (
        "appeal__studio__organization",
        "appeal__referred_to__organization",
    )

    class Meta:
        abstract = True
        ordering = ["appeal", "at", "id"]


class AppealSupervision(_LoopRecord):
    """督办: a supervisor of the street presses an overdue request — who, when, the step it was
    waiting at and its deadline then, and what was said."""

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="supervisions"
    )
    step = models.CharField(_("督办时的步骤"), max_length=10, choices=Step.choices)
    due_on = models.DateField(_("该步期限"))
    note = models.CharField(_("督办意见"), max_length=300)

    class Meta(_LoopRecord.Meta):
        verbose_name = _("督办")
        verbose_name_plural = _("督办")

    def __str__(self) -> str:
        return f"{self.appeal} {self.at:%Y-%m-%d}"


class ReturnOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("问题已解决，居民认可")
    NOT_RESOLVED = "not_resolved", _("居民反映问题未解决")
    UNREACHABLE = "unreachable", _("未联系上（需再次回访）")


class ReturnCall(_LoopRecord):
    """回访: one call back to the requester after archiving, and its outcome."""

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="return_calls"
    )
    outcome = models.CharField(_("回访结果"), max_length=14, choices=ReturnOutcome.choices)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    note = models.CharField(_("回访情况"), max_length=300, blank=True)

    class Meta(_LoopRecord.Meta):
        verbose_name = _("回访")
        verbose_name_plural = _("回访")

    def __str__(self) -> str:
        return f"{self.appeal} {self.get_outcome_display()}"
