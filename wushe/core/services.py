"""Writes of the core app: regions, access events, configuration and the exports made in the
background."""

from __future__ import annotations

import contextlib
import datetime
import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import auditchain
from .config import CONFIGURE, ConfigSection
from .models import LEVEL_ORDER, AccessEvent, AccessEventKind, ExportJob, ExportStatus, Region, RegionLevel
from .permissions import require_operator, require_perm
from .sealed import write_sealed
from .sensitive import contains_personal_number
from .taskstate import stale_after
from .web import client_ip

if TYPE_CHECKING:
    from .types import AnyUser, User

logger = logging.getLogger(__name__)

# How many leading digits of the 12-digit code a child shares with its parent, by child level.
_SHARED_PREFIX = {RegionLevel.CITY: 2, RegionLevel.COUNTY: 4, RegionLevel.STREET: 6, RegionLevel.COMMUNITY: 9}


def _check_code(*, code: str, level: str, parent: Region | None) -> None:
    if not code.isdigit():
        raise ValidationError({"code": _("区划代码只能由数字组成")})
    if level == RegionLevel.GRID:
        if parent is None or parent.level != RegionLevel.COMMUNITY:
            raise ValidationError({"parent": _("网格的上级必须是社区/村")})
        if len(code) != 15 or not code.startswith(parent.code):
            raise ValidationError({"code": _("网格代码为所属社区的12位代码加3位序号")})
        return
    if len(code) != 12:
        raise ValidationError({"code": _("统计用区划代码应为12位")})
    if parent is not None:
        if LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(parent.level):
            raise ValidationError({"parent": _("上级的层级必须高于本级")})
        shared = _SHARED_PREFIX.get(RegionLevel(level), 0)
        if code[:shared] != parent.code[:shared]:
            raise ValidationError({"code": _("区划代码与上级区划代码不一致")})


@transaction.atomic
def region_create(
    *, acting_user: User | None, code: str, name: str, level: str, parent: Region | None = None
) -> Region:
    """Add a region under ``parent`` (a superuser, or the system)."""
    require_operator(acting_user)
    code = code.strip()
    _check_code(code=code, level=level, parent=parent)
    if Region.objects.filter(code=code).exists():
        raise ValidationError({"code": _("区划代码 %(code)s 已存在") % {"code": code}})
    region = Region(code=code, name=name.strip(), level=level, parent=parent, path="")
    region.depth = parent.depth + 1 if parent else 0
    region.save()
    region.path = f"{parent.path if parent else '/'}{region.pk}/"
    region.save(update_fields=["path"])
    return region


def region_get_or_create(
    *, acting_user: User | None, code: str, name: str, level: str, parent: Region | None = None
) -> Region:
    """Idempotent variant used by the demo and imports."""
    existing = Region.objects.filter(code=code).first()
    return existing or region_create(
        acting_user=acting_user, code=code, name=name, level=level, parent=parent
    )


def _client_ip(request: HttpRequest | None) -> str | None:
    return None if request is None else client_ip(request)


def access_event_record(
    *,
    kind: AccessEventKind | str,
    user: AnyUser | None = None,
    username: str = "",
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    """Append one access event (reveal, export, login …) in the caller's transaction."""
    who = user if user is not None and user.is_authenticated else None
    transaction.on_commit(auditchain.seal_soon)  # no lock here: the sealer chains it later
    return AccessEvent.objects.create(
        kind=kind,
        user=who,
        username=username or (who.get_username() if who is not None else ""),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
        ip=_client_ip(request),
    )


# ---- configuration (the settings pages, ``core.config``) --------------------------------------


def _config_values(obj: models.Model, fields: tuple[str, ...]) -> dict[str, str]:
    return {name: str(getattr(obj, name, "")) for name in fields}


@transaction.atomic
def config_save(
    *,
    acting_user: User | None,
    section: ConfigSection,
    data: dict[str, Any],
    instance: models.Model | None = None,
    request: HttpRequest | None = None,
) -> models.Model:
    """Add (``instance=None``) or change one row of a configuration section: checked by the
    model's own validation (field, uniqueness), written, and audited with the values before and
    after."""
    require_perm(acting_user, CONFIGURE)
    unknown = set(data) - set(section.fields)
    if unknown:
        raise ValidationError({name: _("该字段不可修改") for name in sorted(unknown)})
    obj = instance if instance is not None else section.model()
    before = _config_values(obj, section.fields) if instance is not None else {}
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    after = _config_values(obj, section.fields)
    access_event_record(
        kind=AccessEventKind.CONFIG,
        user=acting_user,
        request=request,
        obj=obj,
        detail={
            "section": section.key,
            "action": "change" if instance is not None else "add",
            "before": {k: v for k, v in before.items() if after.get(k) != v},
            "after": {k: v for k, v in after.items() if before.get(k) != v},
        },
    )
    if section.on_change is not None:
        transaction.on_commit(section.on_change)
    return obj


def _in_use(instance: models.Model) -> bool:
    """Whether any record refers to ``instance`` (deleting it would cascade into, or be refused
    by, records about people)."""
    for relation in instance._meta.related_objects:
        accessor = relation.get_accessor_name()
        if accessor is None:  # a symmetrical relation to itself has no reverse accessor
            continue
        related = getattr(instance, accessor, None)
        if related is None:
            continue
        if relation.one_to_one:
            return True
        if related.exists():
            return True
    return False


@transaction.atomic
def config_delete(
    *,
    acting_user: User | None,
    section: ConfigSection,
    instance: models.Model,
    request: HttpRequest | None = None,
) -> None:
    """Delete one row of a configuration section; a row still in use is refused (protected)."""
    require_perm(acting_user, CONFIGURE)
    if not section.deletable:
        raise ValidationError(_("该类配置不能删除，可改为停用"))
    if _in_use(instance):
        raise ValidationError(_("该项仍在使用中，不能删除"))
    values = _config_values(instance, section.fields)
    access_event_record(
        kind=AccessEventKind.CONFIG,
        user=acting_user,
        request=request,
        obj=instance,
        detail={"section": section.key, "action": "delete", "before": values, "after": {}},
    )
    instance.delete()
    if section.on_change is not None:
        transaction.on_commit(section.on_change)


# ---- exports made in the background (``core.exports``) ------------------------------------------

# the HKDF purpose of an export's key (core.sealed: a key of its own for each kind of file)
EXPORT_FILE_PURPOSE = b"wushe:export-file:v1"


def _kept_form(request: HttpRequest) -> str:
    """A POST export's form as it is stored to be replayed: without its CSRF token and without
    any value holding an ID or phone number (the views drop such a search anyway)."""
    if request.method != "POST":
        return ""
    form = request.POST.copy()
    form.pop("csrfmiddlewaretoken", None)
    for key in list(form.keys()):
        if any(contains_personal_number(v) for v in form.getlist(key)):
            form.pop(key)
    return form.urlencode()


def export_job_request(
    *,
    acting_user: User,
    request: HttpRequest,
    title: str,
    export: str,
    total: int,
    reveal: bool,
    obj: models.Model | None = None,
) -> ExportJob:
    """Leave a large export to the task worker: the job remembers the export view's address, its
    query and (a POST's) form, and the task starts when the transaction commits. The same export
    asked for again by the same user while it is being made is that job."""
    region = obj if isinstance(obj, Region) else getattr(obj, "region", None)
    method = "POST" if request.method == "POST" else "GET"
    same = ExportJob.objects.filter(
        requested_by=acting_user,
        method=method,
        path=request.path_info,
        query=request.GET.urlencode(),
        form=_kept_form(request),
        status__in=(ExportStatus.WAITING, ExportStatus.RUNNING),
    ).first()
    if same is not None and not same.interrupted(stale=stale_after(), now=timezone.now()):
        return same  # asked again while the first is being made: one workbook, not two
    job = ExportJob.objects.create(
        requested_by=acting_user,
        region=region if isinstance(region, Region) else None,
        title=title[:200],
        export=export[:60],
        method=method,
        path=request.path_info,
        query=request.GET.urlencode(),
        form=_kept_form(request),
        reveal=reveal,
        language=get_language() or "",
        total=total,
    )

    def start() -> None:
        from .tasks import make_export

        result = make_export.enqueue(job.pk)
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(start)
    return job


def export_job_run(job_id: int) -> int:
    """Write the job's workbook (its view called again as the requester, ``core.exports.replay``),
    keep it sealed under ``WUSHE_EXPORT_ROOT`` and return its rows; then delete the files past
    their time. A failure is kept on the job, with its reason, for the requester's page."""
    from .exports import ReplayFailed, replay

    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status not in (ExportStatus.WAITING, ExportStatus.RUNNING):
        return job.done  # ran already (a task delivered twice)
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, started_at=now, progressed_at=now, done=0
    )

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=rows, progressed_at=timezone.now())

    try:
        replayed = replay(job, progress)
    except ReplayFailed as exc:
        _export_failed(job, str(exc))
        return 0
    except Exception as exc:
        logger.exception("export %s failed", job.pk)
        _export_failed(job, _("导出失败：%(error)s") % {"error": exc.__class__.__name__})
        raise
    written = replayed.written
    assert written is not None  # replay raises when the view wrote nothing
    name = f"{job.pk}-{secrets.token_hex(8)}.xlsx.sealed"
    try:
        size = write_sealed(
            Path(settings.WUSHE_EXPORT_ROOT) / name,
            written.file,
            purpose=EXPORT_FILE_PURPOSE,
            root=settings.WUSHE_EXPORT_ROOT,
        )
    finally:
        written.file.close()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        done=written.rows,
        total=written.rows,
        file=name,
        size=size,
        filename=replayed.filename[:255],
        finished_at=timezone.now(),
    )
    export_jobs_purge()
    return written.rows


def _export_failed(job: ExportJob, reason: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=reason[:300], finished_at=timezone.now()
    )


def export_file_path(job: ExportJob) -> Path:
    return Path(settings.WUSHE_EXPORT_ROOT) / job.file


def export_jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the workbooks of the exports finished more than ``WUSHE_EXPORT_KEEP_HOURS`` ago (the
    job stays, marked purged) and any file under ``WUSHE_EXPORT_ROOT`` older than an hour that no
    kept job names (a write cut short); returns how many files were deleted. The task worker calls
    it after each export, and ``manage.py purge_exports`` for a deployment whose worker is idle."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.WUSHE_EXPORT_KEEP_HOURS)
    expired = ExportJob.objects.filter(purged_at__isnull=True, finished_at__lt=cutoff)
    purged = 0
    for name in expired.exclude(file="").values_list("file", flat=True):
        with contextlib.suppress(FileNotFoundError):
            (Path(settings.WUSHE_EXPORT_ROOT) / name).unlink()
            purged += 1
    expired.update(purged_at=now)
    root = Path(settings.WUSHE_EXPORT_ROOT)
    if root.is_dir():
        kept = set(
            ExportJob.objects.filter(purged_at__isnull=True).exclude(file="").values_list("file", flat=True)
        )
        orphaned_before = (now - datetime.timedelta(hours=1)).timestamp()
        for path in root.iterdir():
            if path.is_file() and path.name not in kept and path.stat().st_mtime < orphaned_before:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    purged += 1
    return purged
