"""The residents' own door: requests submitted on the public page, and one-time rating links.

A ``Submission`` is what a resident sends from ``/public/requests/new/`` without an account: it
waits (``pending``) until the community's workers or a studio serving the community accept it —
then it becomes an ``appeals.Appeal`` of channel 网上 and follows the six steps like a walk-in —
or reject it with a reason (spam, duplicate, out of area). The resident keeps a submission
number and a check code shown once; only the code's hash is stored. The phone is encrypted and
shown masked, and the consent the resident gave (the text's version and the time) is kept with
the submission.

A ``RatingLink`` lets a resident rate one home visit or one case service record: a worker makes
it on the record's page, the link carries a random token (only its hash is kept), works once and
expires; the rating is kept on the link's row.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.appeals.models import Category
from wushe.core.fields import EncryptedTextField
from wushe.core.models import Satisfaction
from wushe.core.scoping import ScopedManager


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")


class RejectReason(models.TextChoices):
    SPAM = "spam", _("无效或恶意信息")
    DUPLICATE = "duplicate", _("重复提交")
    OUT_OF_AREA = "out_of_area", _("不属本辖区")


class Submission(models.Model):
    number = models.CharField(_("提交编号"), max_length=20, unique=True)
    code_hash = models.CharField(_("查询码（散列）"), max_length=128)
    status = models.CharField(
        _("状态"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    content = models.TextField(_("诉求内容"))
    address = models.CharField(_("地点"), max_length=200)
    community = models.ForeignKey(
        "core.Region", verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    studio = models.ForeignKey(
        "appeals.Studio",
        verbose_name=_("服务本社区的工作室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requester_name = models.CharField(_("联系人"), max_length=50)
    requester_phone = EncryptedTextField(_("联系电话"))
    requester_phone_masked = models.CharField(_("联系电话"), max_length=20)
    wants_visit = models.BooleanField(_("希望上门"), default=False)
    consent_version = models.CharField(_("同意的告知书版本"), max_length=20)
    consent_at = models.DateTimeField(_("同意时间"))
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("受理或不予受理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_unit = models.CharField(_("受理单位"), max_length=100, blank=True)
    reject_reason = models.CharField(
        _("不予受理原因"), max_length=12, choices=RejectReason.choices, blank=True
    )
    reject_note = models.CharField(_("说明"), max_length=200, blank=True)
    appeal = models.OneToOneField(
        "appeals.Appeal",
        verbose_name=_("诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submission",
    )
    rating_words = models.CharField(_("居民评价"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "community"
    scope_org_field: ClassVar[str] = "studio__organization"

    class Meta:
        verbose_name = _("网上诉求提交")
        verbose_name_plural = _("网上诉求提交")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="portal_sub_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(appeal__isnull=False),
                name="portal_accepted_has_appeal",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(reject_reason=""),
                name="portal_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class RatingKind(models.TextChoices):
    VISIT = "visit", _("入户走访")
    SERVICE = "service", _("个案服务")


class RatingLink(models.Model):
    kind = models.CharField(_("评价对象"), max_length=10, choices=RatingKind.choices)
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("走访"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    service = models.ForeignKey(
        "casework.CaseService",
        verbose_name=_("服务记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(_("链接令牌（散列）"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    words = models.CharField(_("居民评价"), max_length=500, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("一次性评价链接")
        verbose_name_plural = _("一次性评价链接")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="visit", visit__isnull=False, service__isnull=True))
                | (models.Q(kind="service", service__isnull=False, visit__isnull=True)),
                name="portal_rating_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | ~models.Q(satisfaction=""),
                name="portal_rating_used_has_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"
