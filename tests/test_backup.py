"""Backup and restore (manage.py backup / restore, wushe/core/backup.py): a backup restores into
a fresh database and an encrypted field reads back through the app with the restored keys only."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from wushe.core import backup as backups

ROOT = Path(__file__).resolve().parent.parent
PASS = "长江黄河-backup-2026"

pytestmark = pytest.mark.django_db(transaction=True)


def _env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WUSHE_FIELD_KEY", "WUSHE_HASH_KEY"))}
    env |= {"DATABASE_URL": database_url, "WUSHE_DATA_DIR": str(data_dir), "WUSHE_PASS": PASS}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, timeout=600
    )


def _read_back(env: dict[str, str], pk: int) -> str:
    code = f"from wushe.registry.models import Person; print(Person.objects.get(pk={pk}).id_number)"
    result = _manage(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def person(person_a: Any) -> Any:
    return person_a


def test_backup_holds_no_key_in_the_clear(person: Any, tmp_path: Path) -> None:
    out = tmp_path / "wushe.backup"
    os.environ["TEST_BACKUP_PASS"] = PASS
    try:
        call_command("backup", str(out), passphrase_env="TEST_BACKUP_PASS")
    finally:
        del os.environ["TEST_BACKUP_PASS"]
    from wushe.core import crypto

    keys = crypto.keys()
    raw = out.read_bytes()
    for secret in (crypto._b64(keys.field), crypto._b64(keys.hash)):
        assert secret.encode() not in raw
    with tarfile.open(out) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "keys.enc"} <= names
    assert ("database.dump" in names) == (connection.vendor == "postgresql")
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(backups.BackupError):  # never overwritten
        backups.backup(out, PASS)


def test_wrong_passphrase_and_short_passphrase_are_refused(person: Any, tmp_path: Path) -> None:
    with pytest.raises(backups.BackupError):
        backups.backup(tmp_path / "x", "short")
    blob = backups.seal_keys(PASS)
    assert backups.open_keys(blob, PASS)["version"] >= 1
    with pytest.raises(backups.BackupError):
        backups.open_keys(blob, PASS + "x")


def test_a_damaged_backup_is_refused_before_anything_is_restored(person: Any, tmp_path: Path) -> None:
    out = backups.backup(tmp_path / "wushe.backup", PASS).path
    damaged = tmp_path / "damaged.backup"
    with tarfile.open(out) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member)
            if member.name == "keys.enc":
                body = bytearray(data.read())  # type: ignore[union-attr]
                body[-5] ^= 1
                import io

                member.size = len(body)
                dst.addfile(member, io.BytesIO(bytes(body)))
            else:
                dst.addfile(member, data)
    with pytest.raises(backups.BackupError, match="damaged"):
        backups.restore(damaged, PASS, key_file=tmp_path / "keys.json")
    assert not (tmp_path / "keys.json").exists()


def test_restore_refuses_a_database_that_is_not_empty(person: Any, tmp_path: Path) -> None:
    out = backups.backup(tmp_path / "wushe.backup", PASS).path
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(out, PASS, key_file=tmp_path / "keys.json")


def test_restore_into_a_fresh_database_reads_the_encrypted_id_with_the_restored_keys(
    person: Any, tmp_path: Path
) -> None:
    out = backups.backup(tmp_path / "wushe.backup", PASS).path
    data_dir = tmp_path / "restored"
    data_dir.mkdir()
    if connection.vendor == "postgresql":
        cfg = connection.settings_dict
        name = f"wushe_restore_{uuid.uuid4().hex[:8]}"
        admin = psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=cfg["PORT"] or 5432,
            user=cfg["USER"] or "postgres",
            dbname="postgres",
            autocommit=True,
        )
        admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{cfg['USER'] or 'postgres'}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{name}"
    else:
        admin, name = None, ""
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    try:
        env = _env(url, data_dir)
        # the wrong passphrase: nothing restored, no key file written
        bad = _manage(
            {**env, "WUSHE_PASS": "not the passphrase"}, "restore", str(out), "--passphrase-env", "WUSHE_PASS"
        )
        assert bad.returncode != 0 and "passphrase" in bad.stderr
        assert not (data_dir / "keys.json").exists()
        done = _manage(env, "restore", str(out), "--passphrase-env", "WUSHE_PASS")
        assert done.returncode == 0, done.stderr
        assert (data_dir / "keys.json").exists()
        assert _read_back(env, person.pk) == person.id_number
        assert person.id_number not in (data_dir / "keys.json").read_text()
    finally:
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def test_restore_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing"), passphrase_env="X")
