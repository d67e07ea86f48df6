"""Uploaded ledgers on disk (issue 14, item 3): private, encrypted, deleted when their job ends,
purged past the retention; the data directory and the SQLite files private whatever the umask."""

from __future__ import annotations

import datetime
import io
import os
import sqlite3
import stat
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from wushe.imports import engine, storage
from wushe.imports.models import ImportJob, ImportStatus
from wushe.imports.services import job_abandon, job_create

from .ledgers import ident

pytestmark = pytest.mark.django_db

ID = ident(7)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _csv(*rows: str) -> bytes:
    return ("姓名,身份证号,联系电话\n" + "".join(f"{r}\n" for r in rows)).encode()


def _job(tree: Any, body: bytes | None = None) -> ImportJob:
    body = body or _csv(f"张三,{ID},13800000007")
    return job_create(acting_user=None, region=tree.street, fileobj=io.BytesIO(body), name="台账.csv")


def test_upload_private_and_encrypted(tree: Any, settings: Any, open_umask: None) -> None:
    job = _job(tree)
    path = Path(job.file.path)
    assert _mode(path) == 0o600
    for parent in path.relative_to(settings.MEDIA_ROOT).parents:
        if str(parent) != ".":
            assert _mode(Path(settings.MEDIA_ROOT) / parent) == 0o700, parent
    raw = path.read_bytes()
    assert ID.encode() not in raw and "张三".encode() not in raw and b"13800000007" not in raw
    assert raw.startswith(storage.MAGIC)
    assert storage.read_plain(path).decode().splitlines()[1] == f"张三,{ID},13800000007"


def test_encryption_streams_and_detects_tampering(tmp_path: Path) -> None:
    clear = os.urandom(storage.CHUNK * 2 + 123)
    target = tmp_path / "f"
    with open(target, "wb") as fh:
        assert storage.encrypt_to(io.BytesIO(clear), fh) == len(clear)
    assert storage.read_plain(target) == clear
    cut = tmp_path / "cut"
    cut.write_bytes(target.read_bytes()[: -(storage.CHUNK // 2)])
    with pytest.raises(storage.StoredFileError):
        storage.read_plain(cut)


def test_file_gone_after_commit(tree: Any) -> None:
    job = _job(tree)
    path = Path(job.file.path)
    engine.check(job)
    assert path.exists()
    engine.commit(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and not path.exists() and job.file_purged_at is not None


def test_file_gone_after_failure(tree: Any) -> None:
    job = _job(tree)
    path = Path(job.file.path)
    engine.fail(job, "boom")
    job.refresh_from_db()
    assert not path.exists() and job.file_purged_at is not None


def test_half_committed_failure_keeps_the_file_to_resume(tree: Any) -> None:
    job = _job(tree)
    ImportJob.objects.filter(pk=job.pk).update(committed_through=2)
    engine.fail(job, "killed")
    assert Path(job.file.path).exists()


def test_file_gone_after_abandon_and_page_says_so(tree: Any, users: Any) -> None:
    job = _job(tree)
    path = Path(job.file.path)
    client = login(users.street_admin)
    response = client.post(reverse("imports:job_abandon", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert not path.exists() and job.status == ImportStatus.FAILED and job.file_purged_at
    page = client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    assert "上传的文件已于" in page and "删除" in page
    assert "放弃此导入" not in page
    response = client.post(reverse("imports:job_commit", args=[job.pk]), follow=True)
    assert "请重新上传" in response.content.decode() or "请先完成检查" in response.content.decode()


def test_abandon_refused_once_committing(tree: Any) -> None:
    from django.core.exceptions import ValidationError

    job = _job(tree)
    ImportJob.objects.filter(pk=job.pk).update(committed_through=2, status=ImportStatus.FAILED)
    job.refresh_from_db()
    with pytest.raises(ValidationError):
        job_abandon(acting_user=None, job=job)
    assert Path(job.file.path).exists()


def test_refused_upload_leaves_nothing(tree: Any, settings: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _job(tree, b"\xff\xfe\x00garbage without a header\n")
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_purge_removes_old_and_orphans_keeps_fresh(tree: Any, settings: Any) -> None:
    old = _job(tree)
    fresh = _job(tree, _csv(f"李四,{ident(8)},13800000008"))
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    orphan = Path(settings.MEDIA_ROOT) / "imports" / "ab" / "orphan.csv"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    two_hours_ago = timezone.now().timestamp() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    out = StringIO()
    call_command("purge_uploads", stdout=out)
    text = out.getvalue()
    assert f"#{old.pk}" in text and "orphan.csv" in text and "共删除 2 个文件" in text
    assert not Path(old.file.path).exists() and not orphan.exists()
    assert Path(fresh.file.path).exists()
    old.refresh_from_db()
    assert old.file_purged_at is not None
    out = StringIO()
    call_command("purge_uploads", stdout=out)  # idempotent
    assert "共删除 0 个文件" in out.getvalue() and Path(fresh.file.path).exists()


def test_data_dir_and_sqlite_private(tmp_path: Path, open_umask: None) -> None:
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    (data / "secret_key").write_text("x")
    (data / "media" / "imports").mkdir(parents=True)
    (data / "media" / "imports" / "old.csv").write_text("x")
    os.chmod(data / "secret_key", 0o644)
    storage.secure_data_dir(data)
    assert _mode(data) == 0o700 and _mode(data / "media" / "imports") == 0o700
    assert _mode(data / "secret_key") == 0o600 and _mode(data / "media" / "imports" / "old.csv") == 0o600

    db = data / "wushe.sqlite3"
    storage.private_sqlite(db)
    assert _mode(db) == 0o600
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()
    for suffix in ("-wal", "-shm"):
        assert _mode(f"{db}{suffix}") == 0o600, suffix  # SQLite gives them the database's mode
    connection.close()


def test_connection_receiver_chmods_sqlite(tmp_path: Path, open_umask: None) -> None:
    db = tmp_path / "other.sqlite3"
    sqlite3.connect(db).close()
    assert _mode(db) == 0o644

    class Connection:
        vendor = "sqlite"
        settings_dict = {"NAME": str(db)}

    connection_created.send(sender=None, connection=Connection())
    assert _mode(db) == 0o600


def test_settings_make_uploads_private(settings: Any) -> None:
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600 and settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    assert _mode(settings.DATA_DIR) == 0o700


def test_photo_uploads_private(settings: Any, tmp_path: Path, open_umask: None) -> None:
    from django.core.files.base import ContentFile

    from wushe.casework.models import upload_storage

    settings.WUSHE_UPLOAD_ROOT = tmp_path / "uploads"
    target = upload_storage()
    name = target.save("photos/2025/a.jpg", ContentFile(b"\xff\xd8jpeg"))
    assert _mode(target.path(name)) == 0o600 and _mode(Path(target.path(name)).parent) == 0o700
