"""``manage.py import_ledger FILE --region CODE_OR_NAME [--dry-run] [--errors OUT.xlsx] [--json]``

Does what the web page does: reads the ledger, maps its columns (the mapping last confirmed for
files of the same header, else the one guessed from the header), checks every row and, without
``--dry-run``, commits in atomic batches. Run again after an interruption, it resumes the
unfinished job for the same file and region where it stopped.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from wushe.accounts.models import User
from wushe.core.models import Region
from wushe.imports import engine, reading
from wushe.imports.models import ImportJob, ImportRow, RowOutcome, RowPhase
from wushe.imports.report import write_error_report
from wushe.imports.selectors import unfinished_job
from wushe.imports.services import job_create, job_mark_running


def _region(value: str) -> Region:
    found = list(Region.objects.filter(Q(code=value) | Q(name=value))[:5])
    if not found:
        raise CommandError(f"没有代码或名称为“{value}”的区域 / no region with code or name {value!r}")
    if len(found) > 1:
        codes = ", ".join(f"{r.code} {r.name}" for r in found)
        raise CommandError(f"名称“{value}”对应多个区域，请用区划代码 / ambiguous, use a code: {codes}")
    return found[0]


class Command(BaseCommand):
    help = "Import a ledger (.xlsx, .xls, .csv) into the registry of a region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--region", required=True, help="区划代码或名称 / region code or name")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入 / check only")
        parser.add_argument("--errors", type=Path, help="未通过的行写入此 .xlsx / write rejected rows here")
        parser.add_argument("--json", action="store_true", help="输出 JSON 计数 / print the counts as JSON")
        parser.add_argument("--user", help="以此用户身份导入（记入历史和审计）/ act as this user")
        parser.add_argument("--as-of", help="台账日期 YYYY-MM-DD：之后修改过的档案不覆盖 / ledger date")
        parser.add_argument("--batch-size", type=int, default=engine.BATCH_SIZE)
        parser.add_argument("--new", action="store_true", help="不续接未完成的任务 / do not resume")

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}")
        region = _region(opts["region"])
        user = None
        if opts["user"]:
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"没有用户 / no user {opts['user']!r}")
        as_of = None
        if opts["as_of"]:
            try:
                day = datetime.date.fromisoformat(opts["as_of"])
            except ValueError:
                raise CommandError("--as-of 应为 YYYY-MM-DD") from None
            as_of = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        job = None if opts["dry_run"] or opts["new"] else self._unfinished(path, region, user)
        if job is not None and not opts["json"]:
            self.stderr.write(
                f"续接导入任务 #{job.pk}（已提交至第 {job.committed_through} 行）/ resuming job #{job.pk}"
            )
        if job is None:
            try:
                with path.open("rb") as fh:
                    job = job_create(acting_user=user, region=region, fileobj=fh, name=path.name, as_of=as_of)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from None
        try:
            if opts["dry_run"]:
                counts = engine.check(job, batch_size=opts["batch_size"])
                phase = RowPhase.CHECK
            else:
                job_mark_running(job=job)
                counts = engine.commit(job, batch_size=opts["batch_size"], acting_user=user)
                phase = RowPhase.COMMIT
        except reading.ReadError as exc:
            engine.fail(job, str(exc))
            raise CommandError(str(exc)) from None
        except Exception as exc:
            engine.fail(job, str(exc) or exc.__class__.__name__)
            raise
        if opts["errors"]:
            write_error_report(job, phase, opts["errors"])
        if opts["json"]:
            self.stdout.write(json.dumps(counts.as_dict()))
            return
        self._summary(job, phase, counts, opts)

    def _unfinished(self, path: Path, region: Region, user: User | None) -> ImportJob | None:
        return unfinished_job(sha256=reading.file_sha256(path), region=region, user=user)

    def _summary(self, job: ImportJob, phase: str, counts: engine.Counts, opts: dict[str, Any]) -> None:
        verb = "检查（未写入）/ dry run" if phase == RowPhase.CHECK else "已导入 / committed"
        self.stdout.write(f"任务 #{job.pk} {job.original_name} → {job.region.name}：{verb}")
        self.stdout.write(
            f"新增 created {counts.created}　更新 updated {counts.updated}　"
            f"无变化 unchanged {counts.unchanged}　未通过 rejected {counts.rejected}"
        )
        rejected = ImportRow.objects.filter(job=job, phase=phase, outcome=RowOutcome.REJECTED).order_by(
            "row_number"
        )
        for row in rejected[:20]:
            self.stdout.write(f"  第 {row.row_number} 行：{row.message}")
        if counts.rejected > 20:
            self.stdout.write(
                f"  …… 共 {counts.rejected} 行未通过" + ("" if opts["errors"] else "（用 --errors 导出）")
            )
        if opts["errors"]:
            self.stdout.write(f"未通过的行已写入 / rejected rows written to {opts['errors']}")
