"""Backups that restore: the database, the uploaded files and the key material, in one file.

A wushe backup is a tar file holding

- ``manifest.json``: what the backup holds, when it was made, the database engine, and the
  SHA-256 of every other member (checked before anything is restored);
- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite,
  through its online backup API, so a running server may keep writing);
- ``keys.enc``: the field and hash keys in force (the key file's content, or the environment's
  keys), encrypted with a passphrase — scrypt (n=2**15, r=8, p=1) derives an AES-256-GCM key;
- ``uploads/``: the uploaded files (already encrypted at rest with the field key).

Without the keys the encrypted columns and files cannot be read, so the keys travel with the
data, but never in the clear: the passphrase is asked for (or read from an environment variable
the operator names), never taken from the command line, where it would stay in the shell's
history and the process list. Restoring goes into an empty database only.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 — pg_dump / pg_restore, with argument lists, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connections
from django.utils import timezone

from . import crypto

FORMAT = "wushe-backup/1"
MIN_PASSPHRASE = 12


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    members: dict[str, str]  # name → sha256
    uploads: int


def _derive(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def seal_keys(passphrase: str) -> bytes:
    """The keys in force, as the key file holds them, encrypted with ``passphrase``."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"口令至少 {MIN_PASSPHRASE} 个字符 / the passphrase needs {MIN_PASSPHRASE} characters or more"
        )
    k = crypto.keys()
    data: dict[str, Any] = {"field": crypto._b64(k.field), "hash": crypto._b64(k.hash), "version": k.version}
    if k.old:
        data["old"] = {str(v): crypto._b64(key) for v, key in k.old}
    if k.cipher:
        data["cipher"] = k.cipher
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, json.dumps(data).encode(), FORMAT.encode())
    envelope = {"kdf": "scrypt", "n": 2**15, "r": 8, "p": 1, "cipher": "aes-256-gcm"}
    envelope |= {"salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode()}
    envelope["data"] = base64.b64encode(sealed).decode()
    return json.dumps(envelope).encode()


def open_keys(blob: bytes, passphrase: str) -> dict[str, Any]:
    envelope = json.loads(blob)
    salt, nonce = base64.b64decode(envelope["salt"]), base64.b64decode(envelope["nonce"])
    try:
        plain = AESGCM(_derive(passphrase, salt)).decrypt(
            nonce, base64.b64decode(envelope["data"]), FORMAT.encode()
        )
    except InvalidTag:
        raise BackupError("口令不对，密钥无法解开 / wrong passphrase: the keys cannot be opened") from None
    return json.loads(plain)  # type: ignore[no-any-return]


def _engine(alias: str = "default") -> str:
    return "postgresql" if connections[alias].vendor == "postgresql" else "sqlite"


def _pg_env(alias: str) -> tuple[list[str], dict[str, str]]:
    cfg = connections[alias].settings_dict
    args = ["--host", cfg["HOST"] or "127.0.0.1", "--port", str(cfg["PORT"] or 5432)]
    args += ["--username", cfg["USER"] or "postgres"]
    env = dict(os.environ)
    if cfg.get("PASSWORD"):
        env["PGPASSWORD"] = cfg["PASSWORD"]
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """pg_dump / pg_restore with an argument list (no shell); the settings' names only."""
    return subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603  # nosec B603


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(out: Path, passphrase: str, *, alias: str = "default") -> BackupSummary:
    """Write a backup of database ``alias``, the uploads and the keys to ``out`` (not overwritten)."""
    if out.exists():
        raise BackupError(f"{out} 已存在，不覆盖 / already exists: not overwritten")
    keys_blob = seal_keys(passphrase)
    engine = _engine(alias)
    members: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="wushe-backup-") as tmp:
        work = Path(tmp)
        if engine == "postgresql":
            db_file = work / "database.dump"
            args, env = _pg_env(alias)
            cmd = ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(db_file)]
            result = _run([*cmd, connections[alias].settings_dict["NAME"]], env)
            if result.returncode:
                raise BackupError(f"pg_dump 失败 / failed: {result.stderr.strip()[-500:]}")
        else:
            db_file = work / "database.sqlite3"
            connections[alias].ensure_connection()
            source = connections[alias].connection
            target = sqlite3.connect(db_file)
            with target:
                source.backup(target)
            target.close()
        members[db_file.name] = _sha256(db_file)
        (work / "keys.enc").write_bytes(keys_blob)
        members["keys.enc"] = _sha256(work / "keys.enc")
        uploads_root = Path(settings.WUSHE_UPLOAD_ROOT)
        uploads = sorted(p for p in uploads_root.rglob("*") if p.is_file()) if uploads_root.exists() else []
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "members": members,
            "uploads": {str(p.relative_to(uploads_root)): _sha256(p) for p in uploads},
        }
        partial = out.with_name(out.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name in members:
                tar.add(work / name, arcname=name)
            for p in uploads:
                tar.add(p, arcname=f"uploads/{p.relative_to(uploads_root)}")
        os.replace(partial, out)
    return BackupSummary(path=out, engine=engine, members=members, uploads=len(uploads))


def _database_is_empty(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        tables = connections[alias].introspection.table_names(cursor)
    return not tables


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    out = []
    for m in tar.getmembers():
        p = Path(m.name)
        if p.is_absolute() or ".." in p.parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"备份里有不该有的条目 / unexpected member in the backup: {m.name!r}")
        out.append(m)
    return out


def restore(
    src: Path, passphrase: str, *, alias: str = "default", key_file: Path | None = None
) -> dict[str, Any]:
    """Restore ``src`` into the empty database ``alias``; write its keys to ``key_file``
    (default ``settings.WUSHE_KEY_FILE``, which must not exist or must hold the same keys)."""
    key_file = Path(key_file or settings.WUSHE_KEY_FILE)
    with tempfile.TemporaryDirectory(prefix="wushe-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(src, mode="r:") as tar:
            members = _safe_members(tar)
            tar.extractall(work, members=members, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("不是 wushe 的备份 / not a wushe backup")
        for name, digest in {
            **manifest["members"],
            **{f"uploads/{k}": v for k, v in manifest["uploads"].items()},
        }.items():
            if not (work / name).is_file() or _sha256(work / name) != digest:
                raise BackupError(f"备份已损坏：{name} / the backup is damaged: {name}")
        keys_data = open_keys((work / "keys.enc").read_bytes(), passphrase)  # before touching anything
        if key_file.exists() and crypto.read_key_file(key_file) != keys_data:
            raise BackupError(
                f"{key_file} 已有不同的密钥，不覆盖 / holds other keys: not overwritten (move it away first)"
            )
        engine = _engine(alias)
        if engine != manifest["engine"]:
            raise BackupError(f"备份来自 {manifest['engine']}，目标是 {engine} / engines differ")
        if not _database_is_empty(alias):
            raise BackupError("目标数据库不是空的 / the target database is not empty")
        if engine == "postgresql":
            args, env = _pg_env(alias)
            connections[alias].close()
            cmd = [
                "pg_restore",
                *args,
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                connections[alias].settings_dict["NAME"],
            ]
            result = _run([*cmd, str(work / "database.dump")], env)
            if result.returncode:
                raise BackupError(f"pg_restore 失败 / failed: {result.stderr.strip()[-500:]}")
        else:
            connections[alias].ensure_connection()
            source = sqlite3.connect(work / "database.sqlite3")
            with source:
                source.backup(connections[alias].connection)
            source.close()
        if not key_file.exists():
            crypto.write_key_file(key_file, keys_data, replace=False)
        crypto.keys.cache_clear()
        uploads_root = Path(settings.WUSHE_UPLOAD_ROOT)
        if (work / "uploads").is_dir():
            shutil.copytree(work / "uploads", uploads_root, dirs_exist_ok=True)
    return {
        "engine": engine,
        "uploads": len(manifest["uploads"]),
        "created": manifest["created"],
        "key_file": str(key_file),
    }
