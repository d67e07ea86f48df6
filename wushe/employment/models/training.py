"""Skills training: courses, enrolments, attendance per session, completion and follow-ups at the
months a street configures."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager

from .common import _Made


class CourseKind(models.TextChoices):
    SHORT_VIDEO = "short_video", _("短视频制作")
    LIVESTREAM = "livestream", _("直播带货")
    HANDICRAFT = "handicraft", _("手工")
    COMPUTER = "computer", _("电脑")
    HOUSEKEEPING = "housekeeping", _("家政")
    OTHER = "other", _("其他")


class Course(_Made):
    region = models.ForeignKey(
        "core.Region", verbose_name=_("举办区域"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("课程名称"), max_length=100)
    kind = models.CharField(_("培训类型"), max_length=16, choices=CourseKind.choices)
    organizer = models.ForeignKey(
        "partners.Organization",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trainer = models.CharField(_("授课人"), max_length=60, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    sessions = models.PositiveSmallIntegerField(_("课次"))
    target_group = models.CharField(_("培训对象"), max_length=100, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("资助项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"
    scope_serves_below: ClassVar[bool] = True

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="course_dates"),
            models.CheckConstraint(condition=Q(sessions__gte=1), name="course_sessions"),
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(_Made):
    course = models.ForeignKey(
        Course, verbose_name=_("课程"), on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("学员"), on_delete=models.PROTECT, related_name="enrolments"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )  # the trainee's region when enrolled: figures and scope need no join to persons
    enrolled_on = models.DateField(_("报名日期"))
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)

    present_sessions: list[int]  # set by selectors.enrolments_of
    latest: FollowUp | None  # set by selectors.enrolments_of

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["course", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="enrolment_once")]

    def __str__(self) -> str:
        return f"{self.course} · {self.person}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.PositiveSmallIntegerField(_("课次"))
    present = models.BooleanField(_("出勤"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "enrolment__region"

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        ordering = ["enrolment", "session"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} #{self.session}"


class Outcome(models.TextChoices):
    EMPLOYED = "employed", _("就业")
    FLEXIBLE = "flexible", _("灵活就业")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    NOT_WORKING = "not_working", _("未就业")


WORKING = (Outcome.EMPLOYED, Outcome.FLEXIBLE, Outcome.SELF_EMPLOYED)


class FlexibleKind(models.TextChoices):
    NONE = "", _("—")
    LIVESTREAM = "livestream", _("直播带货")
    HANDICRAFT = "handicraft", _("手工订单")
    PLATFORM = "platform", _("平台零工")
    OTHER = "other", _("其他")


class FollowUp(_Made):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("结业后第几个月"))
    followed_on = models.DateField(_("回访日期"))
    outcome = models.CharField(_("就业状况"), max_length=16, choices=Outcome.choices)
    flexible_kind = models.CharField(
        _("灵活就业方式"), max_length=12, choices=FlexibleKind.choices, blank=True, default=""
    )
    monthly_income = models.DecimalField(
        _("月收入（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "enrolment__region"

    class Meta:
        verbose_name = _("培训后跟踪")
        verbose_name_plural = _("培训后跟踪")
        ordering = ["enrolment", "month"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "month"], name="follow_up_once")]

    def __str__(self) -> str:
        return f"{self.enrolment} +{self.month}"


def parse_months(raw: str) -> tuple[int, ...]:
    """``"1,3,6"`` as the months 1, 3 and 6 (each 1 to 36, at least one)."""
    try:
        months = sorted({int(m) for m in str(raw).replace("，", ",").split(",") if m.strip()})
    except ValueError:
        raise ValidationError(_("跟踪月份须为用逗号分隔的整数，如 1,3,6")) from None
    if not months or months[0] < 1 or months[-1] > 36:
        raise ValidationError(_("跟踪月份须在1到36之间"))
    return tuple(months)


def validate_months(raw: str) -> None:
    parse_months(raw)


class FollowUpPlan(models.Model):
    """The months after a course's end at which a street follows its trainees up (configuration;
    a street without a row takes ``WUSHE_TRAINING_FOLLOW_UP_MONTHS``, 1, 3 and 6)."""

    region = models.OneToOneField(
        "core.Region", verbose_name=_("街道"), on_delete=models.CASCADE, related_name="follow_up_plan"
    )
    months = models.CharField(_("跟踪月份（逗号分隔）"), max_length=40, validators=[validate_months])

    class Meta:
        verbose_name = _("培训跟踪月份")
        verbose_name_plural = _("培训跟踪月份")

    def __str__(self) -> str:
        return f"{self.region}: {self.months}"
