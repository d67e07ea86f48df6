"""Uploaded ledgers on disk: encrypted while they wait, private, deleted once their job ends.

A ledger holds full ID numbers and phones. It is written under ``MEDIA_ROOT`` only sealed
(:mod:`wushe.core.sealed`: AES-256-GCM in chunks, a key of its own for ledgers, a file cut short
fails to decrypt), with mode 0600 in 0700 directories, and read back through :func:`open_plain` /
:func:`read_plain` without a clear copy on disk.

The module also keeps the data directory private (:func:`secure_data_dir`,
:func:`private_sqlite`): it has no Django import at its top so that settings may use it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from wushe.core import sealed
from wushe.core.sealed import CHUNK, FILE_MODE, MAGIC, make_private

from .reading import ReadError

__all__ = ["CHUNK", "MAGIC", "StoredFileError", "make_private"]

# the HKDF purpose of an uploaded ledger's key (wushe.core.sealed: one key per kind of file)
PURPOSE = b"wushe:import-file:v1"
_UNREADABLE = "存放的台账无法解密（文件损坏或密钥已更换），请重新上传 / the stored ledger cannot be decrypted"


class StoredFileError(ReadError):
    """An encrypted ledger that cannot be decrypted (damaged, cut short, or another key)."""


def encrypt_to(source: IO[bytes], target: IO[bytes]) -> int:
    """Stream ``source`` into ``target`` encrypted; returns the clear size."""
    return sealed.encrypt_to(source, target, purpose=PURPOSE)


def is_encrypted(path: str | Path) -> bool:
    return sealed.is_sealed(path)


def open_plain(path: str | Path) -> IO[bytes]:
    """A binary reader of the ledger's clear bytes, whether it is stored encrypted or not."""
    if is_encrypted(path):
        return sealed.open_sealed(path, purpose=PURPOSE, error=StoredFileError, message=_UNREADABLE)
    return open(path, "rb")  # noqa: SIM115 — the caller closes it


def read_plain(path: str | Path) -> bytes:
    with open_plain(path) as fh:
        return fh.read()


# ---- private files ---------------------------------------------------------------------


def secure_data_dir(root: str | Path, *, walk: bool = True) -> None:
    """Make the data directory and what wushe keeps in it private: the directories 0700, the
    files 0600 (the static files collected for the web server excepted: they are public)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    make_private(root)
    if not walk:
        return
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root and "static" in dirnames:
            dirnames.remove("static")
        for name in dirnames:
            make_private(os.path.join(dirpath, name))
        for name in filenames:
            make_private(os.path.join(dirpath, name))


def private_sqlite(name: str | Path) -> None:
    """Create the SQLite database file 0600 before SQLite does (its -wal and -shm files take the
    database file's mode), and bring an existing one and its companions to 0600."""
    if not name or str(name) == ":memory:" or str(name).startswith("file:"):
        return
    path = Path(name)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for suffix in ("", "-wal", "-shm", "-journal"):
        make_private(f"{path}{suffix}")


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: the SQLite database's files are 0600."""
    if connection.vendor != "sqlite":
        return
    name = connection.settings_dict.get("NAME")
    if name and str(name) != ":memory:" and not str(name).startswith("file:"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            make_private(f"{name}{suffix}")


# ---- the job's file --------------------------------------------------------------------


def save_encrypted(job: Any, source: IO[bytes]) -> None:
    """Store ``source`` as the job's file, encrypted, 0600 in 0700 directories."""
    from django.conf import settings

    relative = job.file.field.upload_to(job, "") if callable(job.file.field.upload_to) else ""
    path = Path(job.file.storage.path(relative))
    sealed.write_sealed(path, source, purpose=PURPOSE, root=settings.MEDIA_ROOT)
    job.file.name = relative


def delete_file(job: Any) -> bool:
    """Delete the job's stored file (if any) and note when; returns whether one was removed.
    Another job of the same file in the same storage path keeps it: the path is the hash."""
    from django.utils import timezone

    from .models import ImportJob

    name = job.file.name if job.file else ""
    removed = False
    if name:
        still_used = (
            ImportJob.objects.filter(file=name, file_purged_at__isnull=True).exclude(pk=job.pk).exists()
        )
        if not still_used:
            with contextlib.suppress(FileNotFoundError):
                job.file.storage.delete(name)
                removed = True
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(file_purged_at=now)
    job.file_purged_at = now
    return removed or bool(name)


def stored_files(root: str | Path) -> Iterator[Path]:
    """Every file under the uploads' directory (``MEDIA_ROOT/imports``)."""
    base = Path(root) / "imports"
    if not base.is_dir():
        return
    for dirpath, _dirs, files in os.walk(base):
        for name in files:
            yield Path(dirpath) / name
