"""Uploaded ledgers on disk: encrypted while they wait, private, deleted once their job ends.

A ledger holds full ID numbers and phones. It is written under ``MEDIA_ROOT`` only encrypted
(AES-256-GCM, in chunks of ``CHUNK`` bytes, with a key derived by HKDF from the field key of
:func:`wushe.core.crypto.keys`), with mode 0600 in 0700 directories, and read back through
:func:`open_plain` / :func:`read_plain` without a clear copy on disk. Each chunk's nonce is the
file's random prefix and the chunk's number; the last chunk is marked in its associated data,
so a file cut short or chunks swapped fail to decrypt instead of reading as a shorter ledger.

The module also keeps the data directory private (:func:`secure_data_dir`,
:func:`private_sqlite`): it has no Django import at its top so that settings may use it.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .reading import ReadError

MAGIC = b"WUSHEF1\n"
CHUNK = 1 << 20
_TAG = 16
_PREFIX = 8  # random part of the nonce; the other 4 bytes count the chunks
FILE_MODE = 0o600
DIR_MODE = 0o700


class StoredFileError(ReadError):
    """An encrypted ledger that cannot be decrypted (damaged, cut short, or another key)."""


def _key() -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    from wushe.core import crypto

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"wushe:import-file:v1").derive(
        crypto.keys().field
    )


def _aead() -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(_key())


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">I?", index, last)


def encrypt_to(source: IO[bytes], target: IO[bytes]) -> int:
    """Stream ``source`` into ``target`` encrypted; returns the clear size."""
    aead = _aead()
    prefix = os.urandom(_PREFIX)
    target.write(MAGIC + prefix)
    size, index = 0, 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        last = not following
        nonce = prefix + struct.pack(">I", index)
        target.write(aead.encrypt(nonce, chunk, _aad(index, last)))
        size += len(chunk)
        index += 1
        if last:
            return size
        chunk = following


def is_encrypted(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


class _DecryptingReader(io.RawIOBase):
    """The clear bytes of an encrypted ledger, decrypted chunk by chunk as they are read."""

    def __init__(self, path: str | Path) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 — closed with the reader
        if self._fh.read(len(MAGIC)) != MAGIC:
            self._fh.close()
            raise StoredFileError("不是加密存放的台账 / not an encrypted ledger")
        self._prefix = self._fh.read(_PREFIX)
        self._aead = _aead()
        self._index = 0
        self._buffer = b""
        self._next = self._fh.read(CHUNK + _TAG)
        self._done = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self._buffer and not self._done:
            sealed, self._next = self._next, self._fh.read(CHUNK + _TAG)
            last = not self._next
            nonce = self._prefix + struct.pack(">I", self._index)
            try:
                self._buffer = self._aead.decrypt(nonce, sealed, _aad(self._index, last))
            except Exception:  # noqa: BLE001 — InvalidTag: damaged, truncated or another key
                raise StoredFileError(
                    "存放的台账无法解密（文件损坏或密钥已更换），请重新上传 / the stored ledger cannot be decrypted"
                ) from None
            self._index += 1
            self._done = last

    def readinto(self, buffer: Any) -> int:
        self._fill()
        n = min(len(buffer), len(self._buffer))
        buffer[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def open_plain(path: str | Path) -> IO[bytes]:
    """A binary reader of the ledger's clear bytes, whether it is stored encrypted or not."""
    if is_encrypted(path):
        return io.BufferedReader(_DecryptingReader(path), buffer_size=CHUNK)
    return open(path, "rb")  # noqa: SIM115 — the caller closes it


def read_plain(path: str | Path) -> bytes:
    with open_plain(path) as fh:
        return fh.read()


# ---- private files ---------------------------------------------------------------------


def make_private(path: str | Path) -> None:
    """0700 for a directory, 0600 for a file (whatever the umask was when it was made)."""
    with contextlib.suppress(OSError):
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            return
        os.chmod(path, DIR_MODE if stat.S_ISDIR(mode) else FILE_MODE)


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
    storage = job.file.storage
    path = Path(storage.path(relative))
    root = Path(settings.MEDIA_ROOT)
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in [path.parent, *path.parent.parents]:
        make_private(parent)
        if parent == root or parent == parent.parent:
            break
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            source.seek(0)
            encrypt_to(source, fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
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
