"""Ledger imports: the job (file, target region, mapping, progress) and its notable rows."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.fields import EncryptedTextField
from wushe.core.scoping import ScopedManager


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("待确认列对应")
    CHECKING = "checking", _("正在检查")
    CHECKED = "checked", _("已检查，待导入")
    QUEUED = "queued", _("等待导入")
    RUNNING = "running", _("正在导入")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


ACTIVE_STATUSES = (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING)


def _upload_to(instance: ImportJob, filename: str) -> str:
    # The stored name is the hash, never the user's file name (which may hold a person's name).
    suffix = "." + instance.file_type if instance.file_type else ""
    return f"imports/{instance.sha256[:2]}/{instance.sha256}{suffix}"


class ImportJob(models.Model):
    """One ledger file imported into one region: checked (dry run), then committed in batches.

    ``committed_through`` is the high-water mark: the file row number of the last row of the
    last batch committed. Each batch writes its registry rows, its notable rows, the counts and
    the mark in one transaction, so a process killed at any moment leaves whole batches only,
    and :func:`wushe.imports.engine.commit` resumes after the mark.
    """

    region = models.ForeignKey("core.Region", verbose_name=_("导入区域"), on_delete=models.PROTECT)
    file = models.FileField(_("文件"), upload_to=_upload_to, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    file_type = models.CharField(_("文件类型"), max_length=8)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    sheet_name = models.CharField(_("工作表"), max_length=100, blank=True)
    header_first = models.PositiveIntegerField(_("表头起始行"), default=0)
    header_last = models.PositiveIntegerField(_("表头结束行"), default=0)
    headers = models.JSONField(_("表头"), default=list)
    mapping = models.JSONField(_("列对应"), default=list)
    samples = models.JSONField(_("样例（已遮蔽）"), default=list, blank=True)  # first rows, numbers masked
    title = models.CharField(_("表格标题"), max_length=200, blank=True)
    as_of = models.DateTimeField(
        _("台账日期"), help_text=_("登记库中晚于此时修改过的档案不会被覆盖，而是列为问题行")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    committed_through = models.PositiveIntegerField(_("已提交至第几行"), default=0)
    check_counts = models.JSONField(_("检查结果"), default=dict, blank=True)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    rejected = models.PositiveIntegerField(_("未通过"), default=0)
    message = models.TextField(_("说明"), blank=True)
    # [table, index, CREATE INDEX statement] of the registry's secondary indexes this job dropped
    # to load an empty registry faster; rebuilt when the commit ends (or, after a crash, resumes)
    deferred_indexes = models.JSONField(default=list, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始导入"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # when the uploaded file was deleted (committed, abandoned, failed, or past the retention)
    file_purged_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "region"

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="importjob_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.rows_done / self.total_rows))


class RowPhase(models.TextChoices):
    CHECK = "check", _("检查")
    COMMIT = "commit", _("导入")


class RowOutcome(models.TextChoices):
    REJECTED = "rejected", _("未通过")
    UPDATED = "updated", _("更新")
    DUPLICATE = "duplicate", _("重复行")
    UNLINKED = "unlinked", _("已登记，未入户")


class ImportRow(models.Model):
    """A row worth showing: rejected (with the reason), updated (with the differences) or a
    repeat of another row. Created and unchanged rows are only counted. The original cells are
    kept encrypted: they hold ID numbers and phones."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    phase = models.CharField(max_length=6, choices=RowPhase.choices)
    row_number = models.PositiveIntegerField(_("行号"))
    outcome = models.CharField(_("结果"), max_length=10, choices=RowOutcome.choices)
    values = EncryptedTextField(_("原始内容"))  # JSON list of the cells as text
    message = models.TextField(_("原因或差异"))

    class Meta:
        verbose_name = _("导入问题行")
        verbose_name_plural = _("导入问题行")
        ordering = ["job", "phase", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "phase", "row_number"], name="importrow_once"),
        ]
        indexes = [models.Index(fields=["job", "phase", "outcome", "row_number"], name="importrow_list_idx")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number} {self.outcome}"


class ImportLink(models.Model):
    """A row's person and the head of household it names, waiting for the end of the commit
    (the head may come later in the file). Written in the row's batch transaction; consumed,
    in one transaction, once every batch is in."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="links")
    row_number = models.PositiveIntegerField()
    member_hash = models.CharField(max_length=64)
    head_hash = models.CharField(max_length=64)
    relation = models.CharField(max_length=12)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "row_number"], name="importlink_once")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"


class ImportMapping(models.Model):
    """The column mapping last confirmed for files of one header shape (remembered for the next)."""

    shape = models.CharField(max_length=64, unique=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("列对应记忆")
        verbose_name_plural = _("列对应记忆")

    def __str__(self) -> str:
        return " | ".join(str(h) for h in self.headers)[:80]
