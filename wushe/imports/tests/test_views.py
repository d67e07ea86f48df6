"""The import pages with the test client: upload, mapping, dry run, commit, progress, report."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.conftest import login
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.imports.models import ImportJob, ImportMapping, ImportStatus
from wushe.registry.models import Person

from .ledgers import ident, write_xlsx
from .test_engine import Ledger

pytestmark = pytest.mark.django_db


def _upload(client: Any, path: Path, region_code: str, **extra: Any) -> Any:
    data = {"region": region_code, "file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    return client.post(reverse("imports:job_list"), data)


def test_upload_check_commit_and_report(
    tree: Any, users: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(users.street_admin)
    upload_page = client.get(reverse("imports:job_list"))
    assert upload_page.status_code == 200 and "上传台账" in upload_page.content.decode()

    response = _upload(client, Ledger(tree).write(tmp_path / "台账.xlsx"), tree.street.code)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:job_detail", args=[job.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "核对列对应" in page and "公民身份号码" in page
    assert re.search(r'<option value="id_number" selected>', page)
    assert "370102195" not in page  # sample IDs are masked

    mapping = {f"col_{i}": key for i, key in enumerate(job.mapping)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:job_mapping", args=[job.pk]), mapping)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.check_counts["rejected"] == 10
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "试导入结果" in page and "正式导入（写入 6 人）" in page and "校验码错误" in page
    assert "370102********" in page  # IDs in the row list are masked

    persons = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Person.objects.count() == persons + 5

    progress = client.get(reverse("imports:job_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert progress["HX-Refresh"] == "true"
    page = client.get(reverse("imports:job_detail", args=[job.pk]) + "?show=updated").content.decode()
    assert "导入结果" in page and "137****0002" in page

    report = client.get(reverse("imports:job_errors", args=[job.pk]))
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    rows = CalamineWorkbook.from_filelike(BytesIO(report.getvalue())).get_sheet_by_index(0).to_python()
    assert len(rows) == 11 and rows[0][1] == "问题"
    assert AccessEvent.objects.filter(kind=AccessEventKind.EXPORT, object_id=str(job.pk)).exists()


def test_mapping_is_remembered_and_checked(tree: Any, users: Any, tmp_path: Path) -> None:
    client = login(users.street_admin)
    header = ["姓名", "证件", "备用号码", "社区"]
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [["张三", ident(70), "13800000070", "甲社区"]],
        header=header,
        title=False,
        notes=False,
    )
    _upload(client, path, tree.street.code)
    job = ImportJob.objects.get()
    assert job.mapping == ["name", "", "", "community"]  # 证件 and 备用号码 are not known names
    response = client.post(
        reverse("imports:job_mapping", args=[job.pk]),
        {"col_0": "name", "col_1": "", "col_2": "phone", "col_3": "community"},
    )
    assert response.status_code == 400 and "必须指定“身份证号码”对应的列" in response.content.decode()
    response = client.post(
        reverse("imports:job_mapping", args=[job.pk]),
        {"col_0": "name", "col_1": "id_number", "col_2": "id_number", "col_3": "community"},
    )
    assert response.status_code == 400 and "一个字段只能对应一列" in response.content.decode()
    client.post(
        reverse("imports:job_mapping", args=[job.pk]),
        {"col_0": "name", "col_1": "id_number", "col_2": "phone", "col_3": "community"},
    )
    assert ImportMapping.objects.get().mapping == ["name", "id_number", "phone", "community"]
    _upload(client, path, tree.street.code)  # the next file of the same shape
    latest = ImportJob.objects.order_by("-pk").first()
    assert latest is not None and latest.mapping == ["name", "id_number", "phone", "community"]


def test_bad_file_is_refused_with_the_reason(tree: Any, users: Any) -> None:
    client = login(users.street_admin)
    data = {"region": tree.street.code, "file": SimpleUploadedFile("台账.docx", b"PK\x03\x04 not a ledger")}
    response = client.post(reverse("imports:job_list"), data)
    assert response.status_code == 200 and "不支持的文件类型“.docx”" in response.content.decode()
    data = {"region": tree.street.code, "file": SimpleUploadedFile("台账.xlsx", b"name,id\n")}
    response = client.post(reverse("imports:job_list"), data)
    assert "不是 Excel 工作簿" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_access(tree: Any, users: Any, tmp_path: Path, client: Any) -> None:
    path = write_xlsx(
        tmp_path / "b.xlsx", [["张三", ident(71)]], header=["姓名", "身份证号"], title=False, notes=False
    )
    _upload(login(users.worker_b), path, tree.community_b.code)
    job = ImportJob.objects.get()
    detail = reverse("imports:job_detail", args=[job.pk])
    assert client.get(detail).status_code == 302  # anonymous: to the login page
    assert login(users.leader).get(reverse("imports:job_list")).status_code == 403  # no manage_person
    assert login(users.nobody).get(detail).status_code == 403
    assert login(users.worker_a).get(detail).status_code == 404  # another community's job
    assert login(users.worker_a).get(reverse("imports:job_errors", args=[job.pk])).status_code == 404
    assert login(users.street_admin).get(detail).status_code == 200
    # a region outside the user's scope is not offered, and a forged one is refused
    response = _upload(login(users.worker_a), path, tree.community_b.code)
    assert response.status_code == 200 and ImportJob.objects.count() == 1


def test_a_killed_commit_is_resumed_from_the_page(
    tree: Any, users: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime

    from django.utils import timezone

    from wushe.imports import engine
    from wushe.imports.services import job_create

    rows = [[f"居民{n}", ident(80 + n), "甲社区"] for n in range(9)]
    path = write_xlsx(
        tmp_path / "c.xlsx", rows, header=["姓名", "身份证号", "社区"], title=False, notes=False
    )
    with path.open("rb") as fh:
        job = job_create(acting_user=users.street_admin, region=tree.street, fileobj=fh, name="c.xlsx")

    def kill(job: ImportJob, batch: int) -> None:
        if batch == 2:
            raise KeyboardInterrupt  # as kill -9: nothing marks the job failed

    engine.run.after_batch_written = kill
    with pytest.raises(KeyboardInterrupt):
        engine.commit(job, batch_size=4)
    engine.run.after_batch_written = None
    client = login(users.street_admin)
    detail = reverse("imports:job_detail", args=[job.pk])
    page = client.get(detail).content.decode()
    assert "正在导入" in page and 'hx-trigger="every 2s"' in page and "继续导入" not in page
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    page = client.get(detail).content.decode()
    assert "后台处理已中断" in page and "继续导入" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 9 and Person.objects.count() == 9
