"""Regions, the access-event log, the base of every scoped model, and the two-language name of
configuration data (:class:`TranslatedName`)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .appendonly import AppendOnlyModel, AppendOnlyQuerySet
from .scoping import ScopedManager


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("区县")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区/村")
    GRID = "grid", _("网格")


# the levels a service area may be drawn at (a project, an activity, an appeal's area)
AREA_LEVELS = (RegionLevel.STREET, RegionLevel.COMMUNITY, RegionLevel.GRID)


LEVEL_ORDER = [c.value for c in RegionLevel]


class Region(models.Model):
    """A node of 区县 → 街道/乡镇 → 社区/村 → 网格 (with province and city above).

    Official levels carry the 12-digit 统计用区划代码; a grid extends its community's code with
    three digits. ``path`` is the materialised path of ids (``/1/4/17/``), so that a subtree is
    one indexed prefix match; it is set by ``region_create`` and never edited by hand.
    """

    code = models.CharField(_("区划代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = ScopedManager()
    scope_region_field: ClassVar[str] = "id"

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["path"], name="region_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="region_parent_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Region]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = Region.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    @property
    def full_name(self) -> str:
        return " / ".join(r.name for r in self.ancestors() if r.level != RegionLevel.PROVINCE)


class Satisfaction(models.TextChoices):
    """The one satisfaction scale, asked when a need is met, a problem resolved or a request
    answered; 满意 and 基本满意 count as satisfied in every satisfaction rate."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


SATISFIED_VALUES = (Satisfaction.SATISFIED, Satisfaction.BASIC)


def translated_name(name: str, name_en: str) -> str:
    """The name to show in the active language: the English name when the page is in English
    and one is given, else the Chinese name (the one the records and imports use)."""
    english = (get_language() or "").split("-")[0] == "en"
    return name_en if english and name_en else name


class TranslatedName(models.Model):
    """Configuration data's name in English beside its Chinese ``name`` (group tags, need
    categories, the working calendar's days…): the one way wushe shows operator-configured names
    in the interface's language. ``label`` is what pages, forms, charts and exports show;
    ``name`` stays what imports, searches and the API match on. The defaults that migrations
    install carry their English names; an operator fills ``name_en`` on the settings pages."""

    name_en = models.CharField(
        _("英文名称"), max_length=100, blank=True, help_text=_("界面语言为英文时显示；不填则显示中文名称")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return translated_name(str(getattr(self, "name", "")), self.name_en)


class AccessEventKind(models.TextChoices):
    REVEAL = "reveal", _("查看完整敏感信息")
    EXPORT = "export", _("导出")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    SEARCH_SENSITIVE = "search_sensitive", _("按证件号/电话检索")
    IMPORT = "import", _("导入")
    CONFIG = "config", _("修改配置")
    USERS = "users", _("用户与授权")
    TWO_FACTOR_ENROL = "2fa_enrol", _("启用两步验证")
    TWO_FACTOR_DISABLE = "2fa_disable", _("停用两步验证")
    TWO_FACTOR_FAILED = "2fa_failed", _("两步验证码错误")
    TWO_FACTOR_RECOVERY_USED = "2fa_recovery_used", _("使用恢复码")
    TWO_FACTOR_RECOVERY_CODES = "2fa_recovery_codes", _("重新生成恢复码")


class AccessEventQuerySet(AppendOnlyQuerySet["AccessEvent"]):
    """The guards of ``core.appendonly``; the one write allowed is :meth:`seal`, which fills an
    unsealed event's seal fields (``core.auditchain``)."""

    def seal(self, pk: int, *, seq: int, prev_hash: str, hash: str) -> bool:  # noqa: A002
        """Write the seal of event ``pk`` if it has none yet; False if another sealer did."""
        unsealed = self.filter(pk=pk, seq__isnull=True)
        return models.QuerySet.update(unsealed, seq=seq, prev_hash=prev_hash, hash=hash) == 1


class AccessEvent(AppendOnlyModel):
    """Append-only log of access to personal data and of sign-ins. Never updated or deleted."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), null=True, blank=True, on_delete=models.PROTECT
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    kind = models.CharField(_("事件"), max_length=20, choices=AccessEventKind.choices)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    object_id = models.CharField(_("对象"), max_length=50, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    # The hash chain (``core.auditchain``): writers insert without these; the sealer fills them in
    # order — ``hash = sha256(prev_hash + canonical form of the event)`` — and never again.
    seq = models.PositiveBigIntegerField(_("链序号"), null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("哈希"), max_length=64, blank=True, editable=False)

    objects = AccessEventQuerySet.as_manager()
    append_only_label = "access events"

    class Meta:
        verbose_name = _("访问记录")
        verbose_name_plural = _("访问记录")
        ordering = ["-at", "-id"]
        base_manager_name = "objects"  # related managers and the admin get the guards too

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_kind_display()}"


class ExportStatus(models.TextChoices):
    WAITING = "waiting", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(models.Model):
    """An export too large to write while the browser waits (``WUSHE_EXPORT_INLINE_ROWS``): the
    task worker runs the export's own view again as its requester (``core.exports``), with the
    permissions and scope the requester holds then, and keeps the workbook sealed on disk
    (``core.sealed``) for ``WUSHE_EXPORT_KEEP_HOURS``. Only the requester may see it or download
    it. ``method``, ``path``, ``query`` and ``form`` are what the view is called with again: the
    export's URL, its query string and — for a POST asking for full numbers — the form without its CSRF token
    (the middleware keeps ID and phone numbers out of query strings; a form value holding one is
    dropped before it is stored)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("区域"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    export = models.CharField(_("导出类型"), max_length=60)
    method = models.CharField(max_length=4, default="GET", editable=False)  # GET, or POST (a reveal)
    path = models.CharField(max_length=300, editable=False)
    query = models.TextField(blank=True, editable=False)
    form = models.TextField(blank=True, editable=False)
    reveal = models.BooleanField(_("含完整号码"), default=False)
    language = models.CharField(max_length=10, blank=True, editable=False)  # the page's, for titles
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.WAITING
    )
    total = models.PositiveIntegerField(_("行数"), default=0)
    done = models.PositiveIntegerField(_("已写行数"), default=0)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    file = models.CharField(max_length=100, blank=True, editable=False)  # under WUSHE_EXPORT_ROOT
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    error = models.CharField(_("说明"), max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    purged_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="core_export_by_user")]

    def __str__(self) -> str:
        return f"{self.title} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0

    @property
    def ready(self) -> bool:
        return self.status == ExportStatus.DONE and self.purged_at is None and bool(self.file)

    def interrupted(self, *, stale: datetime.timedelta, now: datetime.datetime) -> bool:
        """Started but without progress for ``stale``: the worker stopped while writing it (its
        task is not run again), so asking for the export again makes a new one."""
        if self.status != ExportStatus.RUNNING:
            return False
        last = self.progressed_at or self.started_at
        return last is not None and now - last > stale
