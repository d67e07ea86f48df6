"""Case work (个案), group work (小组) and community activities / publicity events (社区活动, 宣传活动).

Each record belongs to a region (the person's, the group's or the activity's) and, where an
organization runs it, to that organization: ``scope_org_field`` lets the organization's staff
(社会组织人员) see exactly the cases, groups and activities of their organization.
Every step of a case is a ``CaseStep`` row (who, when, what); nothing is overwritten.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.files import UploadStorage
from wushe.core.scoping import ScopedManager


class CaseStage(models.TextChoices):
    INTAKE = "intake", _("接案")
    ASSESSMENT = "assessment", _("评估")
    PLAN = "plan", _("计划")
    INTERVENTION = "intervention", _("介入")
    CLOSED = "closed", _("结案")


CASE_ORDER = [s.value for s in CaseStage]


class CaseStepKind(models.TextChoices):
    INTAKE = "intake", _("接案")
    ASSESSMENT = "assessment", _("评估")
    PLAN = "plan", _("计划")
    INTERVENTION = "intervention", _("介入")
    CLOSED = "closed", _("结案")
    REOPENED = "reopened", _("重新开案")


class Case(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("服务对象"), on_delete=models.PROTECT, related_name="cases"
    )
    organization = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("承接机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责社工"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    number = models.CharField(_("个案编号"), max_length=20, unique=True)
    project = models.CharField(_("所属项目"), max_length=100, blank=True)
    stage = models.CharField(_("阶段"), max_length=15, choices=CaseStage.choices, default=CaseStage.INTAKE)
    reason = models.TextField(_("接案原因"))
    assessment = models.TextField(_("评估"), blank=True)
    goals = models.TextField(_("服务目标"), blank=True)
    plan = models.TextField(_("服务计划"), blank=True)
    closing_summary = models.TextField(_("结案小结"), blank=True)
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    next_due = models.DateField(_("下次待办日期"), null=True, blank=True)
    opened_on = models.DateField(_("接案日期"))
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organization"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个案")
        verbose_name_plural = _("个案")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["region", "stage"], name="case_region_stage_idx"),
            models.Index(fields=["worker", "stage"], name="case_worker_stage_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseStep(models.Model):
    """One step of a case: who did it, when, and what was recorded."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("步骤"), max_length=15, choices=CaseStepKind.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("内容"), blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "case__region"
    scope_org_field: ClassVar[str] = "case__organization"

    class Meta:
        verbose_name = _("个案步骤")
        verbose_name_plural = _("个案步骤")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class CaseService(models.Model):
    """A service record of a case (服务记录)."""

    case = models.ForeignKey(Case, verbose_name=_("个案"), on_delete=models.CASCADE, related_name="services")
    on = models.DateField(_("服务日期"))
    minutes = models.PositiveIntegerField(_("服务时长（分钟）"))
    content = models.TextField(_("服务内容"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("服务社工"), null=True, blank=True, on_delete=models.SET_NULL
    )
    need_refs = models.CharField(_("关联需求编号"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "case__region"
    scope_org_field: ClassVar[str] = "case__organization"

    class Meta:
        verbose_name = _("个案服务记录")
        verbose_name_plural = _("个案服务记录")
        ordering = ["-on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0), name="case_service_minutes")]

    def __str__(self) -> str:
        return f"{self.case} {self.on}"


class Group(models.Model):
    """小组: a group with its goal, organization, workers and members."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("承接机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )
    name = models.CharField(_("小组名称"), max_length=100)
    goal = models.TextField(_("小组目标"))
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("带领社工"), blank=True, related_name="+"
    )
    members = models.ManyToManyField("registry.Person", verbose_name=_("组员"), blank=True, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organization"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("小组")
        verbose_name_plural = _("小组")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class GroupSession(models.Model):
    group = models.ForeignKey(
        Group, verbose_name=_("小组"), on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("节次"))
    on = models.DateField(_("日期"))
    topic = models.CharField(_("主题"), max_length=200)
    content = models.TextField(_("活动内容"), blank=True)
    attendees = models.ManyToManyField(
        "registry.Person", verbose_name=_("出席组员"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "group__region"
    scope_org_field: ClassVar[str] = "group__organization"

    class Meta:
        verbose_name = _("小组活动节次")
        verbose_name_plural = _("小组活动节次")
        ordering = ["group", "number"]
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="group_session_number")]

    def __str__(self) -> str:
        return f"{self.group} #{self.number}"


class ActivityKind(models.TextChoices):
    COMMUNITY = "community", _("社区活动")
    PUBLICITY = "publicity", _("宣传活动")


class OrganizerKind(models.TextChoices):
    COMMUNITY = "community", _("社区")
    ORGANIZATION = "organization", _("社会组织")
    VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")
    STUDIO = "studio", _("代表委员工作室")


class Activity(models.Model):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("活动类型"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200)
    organizer_kind = models.CharField(_("主办方类型"), max_length=15, choices=OrganizerKind.choices)
    organizer = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("主办组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    disabled_participants = models.PositiveIntegerField(_("其中残疾人"), default=0)
    volunteers = models.PositiveIntegerField(_("志愿者人数"), default=0)
    leaflets = models.PositiveIntegerField(_("发放宣传资料（份）"), default=0)
    questions_answered = models.PositiveIntegerField(_("解答咨询（人次）"), default=0)
    summary = models.TextField(_("活动简介"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_org_field: ClassVar[str] = "organizer"
    history = HistoricalRecords()
    photo_count: int  # set by the API's one-activity read (not a column)

    class Meta:
        verbose_name = _("社区活动")
        verbose_name_plural = _("社区活动")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["region", "on"], name="activity_region_on_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disabled_participants__lte=models.F("participants")),
                name="activity_disabled_le_participants",
            )
        ]

    def __str__(self) -> str:
        return self.title


def upload_storage() -> UploadStorage:
    return UploadStorage()


def _photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"activities/{instance.activity.on:%Y/%m}/{filename}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), storage=upload_storage, upload_to=_photo_path, max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=30)
    size = models.PositiveIntegerField(_("文件大小"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "activity__region"
    scope_org_field: ClassVar[str] = "activity__organizer"

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
