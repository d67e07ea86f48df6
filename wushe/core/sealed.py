"""Files that hold personal data on disk: sealed (encrypted) and private.

An uploaded ledger waiting for its import (``wushe.imports.storage``) and an export made in the
background (``wushe.core.exports``) hold full ID numbers and phones. They are written only sealed:
AES-256-GCM in chunks of :data:`CHUNK` bytes, with a key derived by HKDF from the field key of
:func:`wushe.core.crypto.keys` and the file's *purpose* (so an export's key opens no ledger), mode
0600 in 0700 directories, and read back through :func:`open_sealed` without a clear copy on disk.
Each chunk's nonce is the file's random prefix and the chunk's number; the last chunk is marked in
its associated data, so a file cut short or chunks swapped fail to decrypt instead of reading as a
shorter file.

No Django import at the top: settings use :func:`make_private` through ``wushe.imports.storage``.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import struct
from pathlib import Path
from typing import IO, Any

MAGIC = b"WUSHEF1\n"
CHUNK = 1 << 20
_TAG = 16
_PREFIX = 8  # random part of the nonce; the other 4 bytes count the chunks
FILE_MODE = 0o600
DIR_MODE = 0o700


class SealedFileError(ValueError):
    """A sealed file that cannot be opened (damaged, cut short, another key or another purpose)."""


def _aead(purpose: bytes) -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    from wushe.core import crypto

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(crypto.keys().field)
    return AESGCM(key)


def _aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">I?", index, last)


def encrypt_to(source: IO[bytes], target: IO[bytes], *, purpose: bytes) -> int:
    """Stream ``source`` into ``target`` sealed for ``purpose``; returns the clear size."""
    aead = _aead(purpose)
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


def is_sealed(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


class _OpeningReader(io.RawIOBase):
    """The clear bytes of a sealed file, decrypted chunk by chunk as they are read."""

    def __init__(self, path: str | Path, purpose: bytes, error: type[Exception], message: str) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115 — closed with the reader
        self._error, self._message = error, message
        if self._fh.read(len(MAGIC)) != MAGIC:
            self._fh.close()
            raise error(message)
        self._prefix = self._fh.read(_PREFIX)
        self._aead = _aead(purpose)
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
                raise self._error(self._message) from None
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


def open_sealed(
    path: str | Path,
    *,
    purpose: bytes,
    error: type[Exception] = SealedFileError,
    message: str = "文件无法解密（损坏或密钥已更换）/ the file cannot be decrypted",
) -> io.BufferedReader:
    """A binary reader of a sealed file's clear bytes; ``error(message)`` when it cannot be opened."""
    return io.BufferedReader(_OpeningReader(path, purpose, error, message), buffer_size=CHUNK)


def make_private(path: str | Path) -> None:
    """0700 for a directory, 0600 for a file (whatever the umask was when it was made)."""
    with contextlib.suppress(OSError):
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            return
        os.chmod(path, DIR_MODE if stat.S_ISDIR(mode) else FILE_MODE)


def write_sealed(path: str | Path, source: IO[bytes], *, purpose: bytes, root: str | Path) -> int:
    """Store ``source`` (from its start) at ``path`` sealed for ``purpose``, 0600, its directories up
    to ``root`` 0700; written to a temporary name first, so ``path`` is whole or absent. Returns the
    clear size."""
    path, root = Path(path), Path(root)
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
            size = encrypt_to(source, fh, purpose=purpose)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return size
