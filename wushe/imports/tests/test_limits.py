"""Files that would kill or stall the server (issue 14, item 2): refused before they are read,
or read in a capped child process, with an error naming the limit; the server keeps serving."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.conftest import login
from wushe.imports import limits, reading, sandbox
from wushe.imports.models import ImportJob
from wushe.imports.services import job_create

from .ledgers import ident

pytestmark = pytest.mark.django_db


def tiny_xlsx(**cells: Any) -> bytes:
    """A small real ledger (XlsxWriter); ``far=(row, col)`` also writes one cell there."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("台账")
    sheet.write_row(0, 0, ["姓名", "公民身份号码", "联系电话"])
    sheet.write_row(1, 0, ["张三", ident(1), "13800000001"])
    if "far" in cells:
        sheet.write_string(*cells["far"], "x")
    if "columns" in cells:
        for col in range(3, cells["columns"]):
            sheet.write_string(0, col, f"列{col}")
    workbook.close()
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change: Any, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook with one XML part changed (and parts added), zipped again."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, change(body) if info.filename == part else body)
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """The 1.6 KB workbook of the issue: its used range says A1:XFD1048576."""
    data = tiny_xlsx()
    sheet = "xl/worksheets/sheet1.xml"
    return rewrite(
        data, sheet, lambda b: b.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
    )


def _create(tree: Any, body: bytes, name: str = "台账.xlsx") -> ImportJob:
    return job_create(acting_user=None, region=tree.street, fileobj=io.BytesIO(body), name=name)


def _refused(tree: Any, body: bytes, name: str = "台账.xlsx") -> str:
    with pytest.raises(ValidationError) as caught:
        _create(tree, body, name)
    assert not ImportJob.objects.exists()
    return " ".join(caught.value.message_dict["file"])


def _no_files(settings: Any) -> None:
    imports = Path(settings.MEDIA_ROOT) / "imports"
    assert not imports.exists() or not [p for p in imports.rglob("*") if p.is_file()]


def test_dimension_bomb_refused_before_reading(tree: Any, settings: Any) -> None:
    data = dimension_bomb()
    assert len(data) < 8000
    message = _refused(tree, data)
    assert "16,384 列" in message and "上限 200 列" in message and "WUSHE_IMPORT_MAX_COLUMNS" in message
    _no_files(settings)


def test_cell_at_the_last_cell_refused(tree: Any) -> None:
    message = _refused(tree, tiny_xlsx(far=(1048575, 16383)))
    assert "16,384 列" in message and "WUSHE_IMPORT_MAX_COLUMNS" in message


def test_last_row_beyond_the_limit_refused(tree: Any) -> None:
    with override_settings(WUSHE_IMPORT_MAX_ROWS=1000):
        message = _refused(tree, tiny_xlsx(far=(5000, 1)))
    assert "5,001 行" in message and "上限 1,000 行" in message


def test_sixteen_thousand_columns_refused(tree: Any) -> None:
    message = _refused(tree, tiny_xlsx(columns=16384))
    assert "16,384 列" in message and "上限 200 列" in message


def test_zip_bomb_refused(tree: Any) -> None:
    padding = b"<x>" + b" " * (20 * 1024 * 1024) + b"</x>"
    data = rewrite(tiny_xlsx(), "", lambda b: b, extra={"xl/padding.xml": padding})
    assert len(data) < 200_000
    message = _refused(tree, data)
    assert "WUSHE_IMPORT_MAX_ZIP_RATIO" in message and "压缩炸弹" in message
    with override_settings(WUSHE_IMPORT_MAX_UNCOMPRESSED_BYTES=1024 * 1024, WUSHE_IMPORT_MAX_ZIP_RATIO=10**6):
        message = _refused(tree, data)
    assert "WUSHE_IMPORT_MAX_UNCOMPRESSED_BYTES" in message


def test_too_many_members_refused(tree: Any) -> None:
    data = rewrite(tiny_xlsx(), "", lambda b: b, extra={f"xl/m{i}.bin": b"" for i in range(30)})
    with override_settings(WUSHE_IMPORT_MAX_ZIP_MEMBERS=20):
        assert "WUSHE_IMPORT_MAX_ZIP_MEMBERS" in _refused(tree, data)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_doctype_and_entities_refused(tree: Any, part: str) -> None:
    def add_dtd(body: bytes) -> bytes:
        head, _sep, rest = body.partition(b"?>")
        return head + b'?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>' + rest

    message = _refused(tree, rewrite(tiny_xlsx(), part, add_dtd))
    assert "DOCTYPE 或 ENTITY" in message


def test_one_gigantic_csv_line_refused(tree: Any) -> None:
    body = "姓名,身份证号\n".encode() + b"a" * (3 * 1024 * 1024)
    message = _refused(tree, body, "台账.csv")
    assert "第 2 行" in message and "WUSHE_IMPORT_MAX_LINE_BYTES" in message and "1.0 MB" in message


def test_a_fine_ledger_still_goes_through(tree: Any) -> None:
    job = _create(tree, tiny_xlsx())
    assert job.headers == ["姓名", "公民身份号码", "联系电话"] and job.samples[0][0] == "张三"


def test_reader_over_its_memory_cap_is_a_read_error_and_we_survive(tree: Any, tmp_path: Path) -> None:
    """Without the shape checks, a cell at XFD1048576 makes calamine reserve the whole grid: in
    the capped child, which dies there, not here."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(tiny_xlsx(far=(1048575, 16383)))
    huge = {
        "WUSHE_IMPORT_MAX_COLUMNS": 10**6,
        "WUSHE_IMPORT_MAX_ROWS": 10**8,
        "WUSHE_IMPORT_MAX_CELLS": 10**15,
    }
    with (
        override_settings(WUSHE_IMPORT_READER_MEMORY_MB=256, **huge),
        pytest.raises(reading.ReadError) as caught,
    ):
        sandbox.run_capped(_load, str(path))
    assert "WUSHE_IMPORT_READER_MEMORY_MB" in str(caught.value) and "256 MB" in str(caught.value)
    assert os.getpid() and sandbox.run_capped(sum, [1, 2]) == 3  # still here, and children work


def _load(path: str) -> int:
    table = reading.open_table(path, "xlsx")
    return len(table.headers)


def test_reader_timeout(settings: Any) -> None:
    import time

    settings.WUSHE_IMPORT_READER_TIMEOUT = 1
    with pytest.raises(reading.ReadError, match="WUSHE_IMPORT_READER_TIMEOUT"):
        sandbox.run_capped(time.sleep, 30)


def test_bomb_through_the_page_and_the_server_keeps_serving(tree: Any, users: Any) -> None:
    client = login(users.street_admin)
    upload = SimpleUploadedFile("台账.xlsx", dimension_bomb())
    response = client.post(reverse("imports:job_list"), {"region": tree.street.code, "file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "WUSHE_IMPORT_MAX_COLUMNS" in page and "16,384" in page
    assert client.get(reverse("imports:job_list")).status_code == 200
    assert client.get("/").status_code in (200, 302)


def test_oversized_upload_stopped_early_on_the_form(tree: Any, users: Any, settings: Any) -> None:
    settings.WUSHE_IMPORT_MAX_BYTES = 100 * 1024
    settings.WUSHE_UPLOAD_MAX_BYTES = 10 * 1024
    client = login(users.street_admin)
    big = SimpleUploadedFile("台账.csv", b"a,b\n" * (300 * 1024))  # 1.2 MB, well past the slack
    response = client.post(reverse("imports:job_list"), {"region": tree.street.code, "file": big})
    page = response.content.decode()
    assert response.status_code == 413
    assert "WUSHE_IMPORT_MAX_BYTES" in page and "0.1 MB" in page
    assert not ImportJob.objects.exists()
    # announced small enough but the file itself passes the limit: stopped at the limit
    response = client.post(
        reverse("imports:job_list"),
        {"region": tree.street.code, "file": SimpleUploadedFile("台账.csv", b"a,b\n" * 40 * 1024)},
    )
    assert response.status_code == 413 and not ImportJob.objects.exists()
    assert client.get(reverse("imports:job_list")).status_code == 200


def test_oversized_body_refused_by_the_api(users: Any, settings: Any) -> None:
    settings.WUSHE_IMPORT_MAX_BYTES = 100 * 1024
    settings.WUSHE_UPLOAD_MAX_BYTES = 10 * 1024
    client = login(users.street_admin)
    big = SimpleUploadedFile("台账.csv", b"a,b\n" * (300 * 1024))
    response = client.post("/api/v1/imports", {"file": big})
    assert response.status_code == 413
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "file"] and "WUSHE_IMPORT_MAX_BYTES" in detail["msg"]
    assert client.get("/api/v1/imports").status_code == 200


def test_limits_are_settings() -> None:
    assert limits.limit("WUSHE_IMPORT_MAX_COLUMNS") == 200
    assert limits.limit("WUSHE_IMPORT_MAX_ROWS") >= 1_000_000
    assert limits.column_number("XFD") == 16384 and limits.column_number("A") == 1
