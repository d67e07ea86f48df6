"""``manage.py import_ledger``: JSON counts, the error report, resuming, bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from wushe.imports import engine
from wushe.imports.models import ImportJob, ImportStatus
from wushe.registry.models import Person

from .ledgers import Number, ident, write_csv, write_xls
from .test_engine import EXPECTED_REJECTED, Ledger

pytestmark = pytest.mark.django_db


def _run(*args: Any) -> dict[str, int]:
    out = io.StringIO()
    call_command("import_ledger", *[str(a) for a in args], "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_counts_and_error_report(tree: Any, users: Any, tmp_path: Path) -> None:
    path = Ledger(tree).write(tmp_path / "台账.xlsx")
    report = tmp_path / "errors.xlsx"
    dry = _run(path, "--region", "市西街道", "--dry-run", "--errors", report)
    assert dry == {"created": 5, "updated": 1, "unchanged": 2, "rejected": 10}
    before = Person.objects.count()
    assert _run(path, "--region", "371602003000") == dry
    assert Person.objects.count() == before + 5
    assert _run(path, "--region", "371602003000") == {
        "created": 0,
        "updated": 0,
        "unchanged": 8,
        "rejected": 10,
    }

    rows: list[list[Any]] = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert rows[0][:4] == ["原行号", "问题", "序号", "姓名"]
    assert [int(r[0]) for r in rows[1:]] == sorted(EXPECTED_REJECTED)
    assert "数字已经丢失" in rows[1][1]
    assert "E+17" in rows[1][5]  # the ID cell as it was read: a number with its digits lost
    assert all(isinstance(c, str) for r in rows for c in r)  # every cell text: IDs stay whole


def test_gb18030_csv(tree: Any, users: Any, tmp_path: Path) -> None:
    rows = [
        ["张三", ident(40), "13800000040", "甲社区"],
        ["欧阳𠀀", ident(41), "", "乙社区"],
        ["", ident(42), "", "甲社区"],
    ]
    path = write_csv(
        tmp_path / "台账.csv", rows, header=["姓名", "身份证号码", "手机号", "所属社区"], encoding="gb18030"
    )
    assert _run(path, "--region", "市西街道") == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert Person.objects.filter(name="欧阳𠀀").exists()


def test_xls_ledger(tree: Any, users: Any, tmp_path: Path) -> None:
    """An Excel 97–2003 .xls imports like an .xlsx: number cells Excel mangled are rejected."""
    header = ["序号", "姓名", "公民身份号码", "出生日期", "联系电话", "所属社区"]
    rows = [
        [1, "张三", ident(70), "", Number(13800000070), "甲社区"],
        [2, "李四", Number(float(ident(71)[:17] + "0")), "", "", "甲社区"],
        [3, "王五", ident(72), "", "", "乙社区"],
    ]
    path = write_xls(tmp_path / "台账.xls", rows, header=header)
    assert _run(path, "--region", "市西街道") == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert Person.objects.get(name="张三").phone == "13800000070"
    assert not Person.objects.filter(name="李四").exists()


def test_resumes_an_interrupted_run(tree: Any, users: Any, tmp_path: Path) -> None:
    rows = [[f"居民{n}", ident(60 + n), "", "甲社区"] for n in range(12)]
    path = write_csv(
        tmp_path / "l.csv", rows, header=["姓名", "身份证号码", "手机号", "所属社区"], encoding="utf-8"
    )

    def kill(job: ImportJob, batch: int) -> None:
        if batch == 2:
            raise KeyboardInterrupt

    engine.run.after_batch_written = kill
    with pytest.raises(KeyboardInterrupt):
        call_command(
            "import_ledger", str(path), "--region", "市西街道", "--batch-size", "5", stdout=io.StringIO()
        )
    engine.run.after_batch_written = None
    assert Person.objects.count() == 5
    err = io.StringIO()
    out = io.StringIO()
    call_command("import_ledger", str(path), "--region", "市西街道", "--json", stdout=out, stderr=err)
    assert json.loads(out.getvalue()) == {"created": 12, "updated": 0, "unchanged": 0, "rejected": 0}
    assert ImportJob.objects.count() == 1 and ImportJob.objects.get().status == ImportStatus.DONE


def test_bad_files(tree: Any, tmp_path: Path) -> None:
    pdf = tmp_path / "台账.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    with pytest.raises(CommandError, match=r"不支持的文件类型“\.pdf”"):
        _run(pdf, "--region", "市西街道")
    fake = tmp_path / "台账.xlsx"
    fake.write_bytes(b"this is not a workbook")
    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        _run(fake, "--region", "市西街道")
    headless = write_csv(tmp_path / "x.csv", [["1", "2"]], header=["甲", "乙"], encoding="utf-8")
    with pytest.raises(CommandError, match="没有找到表头"):
        _run(headless, "--region", "市西街道")
    with pytest.raises(CommandError, match="没有代码或名称"):
        _run(headless, "--region", "火星")
    assert not ImportJob.objects.exists()
