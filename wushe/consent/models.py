"""A person's consent to the processing of their (sensitive) personal data, or — where there is
none — the statutory basis the processing rests on (PIPL arts. 13, 28–32), and each sharing of
their data with another unit with its purpose and impact assessment (art. 55).

One record, :class:`Consent`, holds both: ``basis`` is either consent (given by the person or a
guardian, on signed paper scanned or on a phone with the worker present) or a statutory basis
(a duty of the 民政 department …, named in ``basis_text``). A record is never deleted: its
withdrawal (when, by whom, how, what processing stops) is recorded on it, and from then on the
data kinds it covered count as without consent. The kinds a record covers are stored as
``,disability,health,`` so that "covers kind X" is one ``LIKE`` on either database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wushe.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from wushe.core.files import UploadStorage
from wushe.core.scoping import ScopedManager, ScopedQuerySet


class DataKind(models.TextChoices):
    DISABILITY = "disability", _("残疾信息")
    HEALTH = "health", _("健康信息")
    ASSISTANCE = "assistance", _("低保/特困身份")
    PHOTOS = "photos", _("照片影像")
    CONTACT = "contact", _("联系方式")
    OTHER = "other", _("其他敏感信息")


# what the earlier single flag ("已同意处理敏感个人信息") covered
SENSITIVE_KINDS = (DataKind.DISABILITY, DataKind.HEALTH, DataKind.ASSISTANCE, DataKind.OTHER)


class Basis(models.TextChoices):
    CONSENT = "consent", _("本人或监护人同意")
    CIVIL_AFFAIRS = "civil_affairs", _("民政部门法定职责")
    DISABLED_FEDERATION = "disabled_federation", _("残联法定职责")
    LEGAL_DUTY = "legal_duty", _("履行法定职责或法定义务所必需")
    EMERGENCY = "emergency", _("紧急情况下保护生命健康和财产安全")
    OTHER_LAW = "other_law", _("法律、行政法规规定的其他情形")


STATUTORY = tuple(b for b in Basis.values if b != Basis.CONSENT)


class Purpose(models.TextChoices):
    ASSISTANCE = "assistance", _("社会救助")
    DISABILITY = "disability", _("助残服务与补贴")
    CARE = "care", _("照护与康复服务")
    SERVICES = "services", _("社区服务与需求对接")
    STATISTICS = "statistics", _("统计与台账")
    OTHER = "other", _("其他")


class Party(models.TextChoices):
    SELF = "self", _("本人")
    GUARDIAN = "guardian", _("监护人")


class Method(models.TextChoices):
    PAPER = "paper", _("签字纸质同意书（扫描件）")
    PHONE = "phone", _("工作人员在场，本人在手机上确认")
    ORAL = "oral", _("口头表示，工作人员记录")
    MIGRATED = "migrated", _("由原“已同意处理敏感个人信息”标记迁移")


def kinds_value(kinds: Iterable[str]) -> str:
    """The stored form of a set of data kinds: ``,disability,health,`` (in the choices' order)."""
    wanted = set(kinds)
    ordered = [k for k in DataKind.values if k in wanted]
    return f",{','.join(ordered)}," if ordered else ""


def covers(kind: str, prefix: str = "") -> Q:
    """The records (``prefix`` the path to them) covering data kind ``kind``."""
    return Q(**{f"{prefix}kinds__contains": f",{kind},"})


def in_force(prefix: str = "") -> Q:
    """The records not withdrawn."""
    return Q(**{f"{prefix}withdrawn_on__isnull": True})


def upload_storage() -> UploadStorage:
    return UploadStorage()


def _scan_path(instance: Consent, filename: str) -> str:
    return f"consents/{instance.given_on:%Y/%m}/{filename}"


class Consent(models.Model):
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("居民"), on_delete=models.PROTECT, related_name="consents"
    )
    kinds = models.CharField(_("信息种类"), max_length=100)
    basis = models.CharField(_("处理依据"), max_length=20, choices=Basis.choices, default=Basis.CONSENT)
    basis_text = models.CharField(
        _("依据说明"), max_length=300, blank=True, help_text=_("法定依据须写明法律法规或职责")
    )
    purpose_kind = models.CharField(_("处理目的类别"), max_length=20, choices=Purpose.choices)
    purpose = models.CharField(_("处理目的"), max_length=300)
    given_by = models.CharField(_("同意人"), max_length=10, choices=Party.choices, blank=True)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("与本人关系"), max_length=20, blank=True)
    method = models.CharField(_("同意方式"), max_length=10, choices=Method.choices, blank=True)
    scan = models.FileField(
        _("同意书扫描件"), storage=upload_storage, upload_to=_scan_path, max_length=200, blank=True
    )
    scan_type = models.CharField(_("文件类型"), max_length=30, blank=True)
    scan_size = models.PositiveIntegerField(_("文件大小"), null=True, blank=True)
    given_on = models.DateField(_("同意（起始）日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # the withdrawal (a consent) or the end of the basis: recorded, never a delete
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawn_by_party = models.CharField(_("撤回人"), max_length=10, choices=Party.choices, blank=True)
    withdrawal_method = models.CharField(_("撤回方式"), max_length=10, choices=Method.choices, blank=True)
    withdrawal_stops = models.CharField(_("撤回后停止的处理"), max_length=300, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "person__region"
    history = HistoricalRecords(excluded_fields=["scan"])

    class Meta:
        verbose_name = _("同意与处理依据")
        verbose_name_plural = _("同意与处理依据")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["person", "withdrawn_on"], name="consent_person_open_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_basis_display()} {self.given_on}"

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(DataKind.choices)
        return [str(labels.get(k, k)) for k in self.kind_list]

    @property
    def is_consent(self) -> bool:
        return self.basis == Basis.CONSENT


class SharingQuerySet(AppendOnlyQuerySet["Sharing"], ScopedQuerySet["Sharing"]):  # type: ignore[override]  # two as_manager()s
    pass


class Sharing(AppendOnlyModel):
    """One sharing of a person's data with another unit (PIPL art. 55): to whom, what, for which
    purpose, with a short impact assessment; written in the transaction that shares."""

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("居民"), on_delete=models.PROTECT, related_name="sharings"
    )
    organization = models.ForeignKey(
        "partners.Organization", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+"
    )
    kinds = models.CharField(_("提供的信息"), max_length=100)
    purpose = models.CharField(_("提供目的"), max_length=300)
    impact = models.TextField(_("个人信息保护影响评估"), max_length=1000)
    source = models.CharField(_("来源"), max_length=60, blank=True, help_text=_("如：需求转介 #12"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    shared_at = models.DateTimeField(_("提供时间"), auto_now_add=True)

    objects = SharingQuerySet.as_manager()
    scope_region_field: ClassVar[str] = "person__region"

    class Meta:
        verbose_name = _("个人信息对外提供记录")
        verbose_name_plural = _("个人信息对外提供记录")
        ordering = ["-shared_at", "-id"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.person_id} → {self.organization_id} {self.shared_at:%Y-%m-%d}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(DataKind.choices)
        return [str(labels.get(k, k)) for k in self.kinds.split(",") if k]
