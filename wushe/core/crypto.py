"""Field encryption and keyed hashes for personal data (PIPL).

Each ciphertext says which cipher and which key wrote it: ``<c><v>:<base64(nonce + ciphertext +
tag)>`` where ``c`` is ``a`` (AES-256-GCM) or ``s`` (SM4-GCM, for where 商用密码 is required) and
``v`` the field key's version. The first key is version 1, so the rows written before versions
existed (``a1:``) read as they are. Old keys stay readable until ``manage.py rotate_field_key
--retire-old`` has checked that no row still uses them.

The cipher for new writes is the key file's ``cipher`` (written by ``rotate_field_key --cipher``)
or else ``settings.WUSHE_FIELD_CIPHER`` (``"aes-256-gcm"`` by default, or ``"sm4-gcm"``). AES uses
the 32-byte key as it is; SM4 (a 128-bit cipher) uses a 16-byte key derived from it with
HKDF-SHA256, so one key version never feeds two ciphers the same bytes.

Lookups go through a keyed hash (HMAC-SHA256 with a separate key) of the normalised value:
equal values give equal hashes, but the hash reveals nothing without the key. The hash key is not
rotated with the field key: every blind-index column would have to be recomputed from the
plaintext at once, and lookups would miss in between.

Keys come from the environment — ``WUSHE_FIELD_KEY`` (current field key), ``WUSHE_FIELD_KEY_VERSION``
(its version, default 1), ``WUSHE_FIELD_KEYS_OLD`` (``"1:<key>,2:<key>"``, still readable) and
``WUSHE_HASH_KEY``; all keys urlsafe base64 of 32 bytes. Without them, the embedded default creates
``settings.WUSHE_KEY_FILE`` at first use with mode 0600. Losing the key file means losing the
encrypted data: back it up with the database.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "a1:"  # the first key's AES ciphertexts (kept for callers that test for it)
AES = "aes-256-gcm"
SM4 = "sm4-gcm"
CIPHERS = {AES: "a", SM4: "s"}
_BY_LETTER = {v: k for k, v in CIPHERS.items()}
_TOKEN = re.compile(r"^([as])([1-9][0-9]{0,5}):")


@dataclass(frozen=True)
class Keys:
    field: bytes  # the current field key
    hash: bytes
    version: int = 1
    old: tuple[tuple[int, bytes], ...] = ()  # older field keys, still readable
    cipher: str | None = None  # pinned by the key file; None: settings.WUSHE_FIELD_CIPHER
    from_env: bool = dataclasses.field(default=False, compare=False)

    def field_key(self, version: int) -> bytes:
        if version == self.version:
            return self.field
        for v, key in self.old:
            if v == version:
                return key
        raise ValueError(f"field key version {version} is not in the key ring (retired or never added)")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text.encode())
    if len(raw) != 32:
        raise ValueError("wushe keys must be 32 bytes (urlsafe base64)")
    return raw


def _old_from_env(text: str) -> tuple[tuple[int, bytes], ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        version, _sep, key = part.partition(":")
        if not version.isdigit() or not key:
            raise ValueError("WUSHE_FIELD_KEYS_OLD must read '1:<key>,2:<key>'")
        out.append((int(version), _unb64(key)))
    return tuple(out)


def write_key_file(path: Path, data: dict[str, Any], *, replace: bool) -> None:
    """Write ``data`` to a private (0600) temporary file, then put it in place whole: renamed
    over the old file when ``replace``, else linked only if no file exists yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")  # created 0600
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)  # atomic: readers see the old file or the new one
            return
        with contextlib.suppress(FileExistsError):  # another process was first: its keys are the keys
            os.link(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def read_key_file(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@cache
def keys() -> Keys:
    """The keys in force: the environment's, else the key file's (created on first use)."""
    env_field, env_hash = os.environ.get("WUSHE_FIELD_KEY"), os.environ.get("WUSHE_HASH_KEY")
    if env_field and env_hash:
        return Keys(
            field=_unb64(env_field),
            hash=_unb64(env_hash),
            version=int(os.environ.get("WUSHE_FIELD_KEY_VERSION") or 1),
            old=_old_from_env(os.environ.get("WUSHE_FIELD_KEYS_OLD", "")),
            from_env=True,
        )
    path = settings.WUSHE_KEY_FILE
    if not path.exists():
        # written whole to a private file first, then linked into place: the key file appears
        # complete or not at all, and never replaces one another process created first (two
        # processes starting together — an import's workers — must not read a half-written file
        # nor end up with different keys)
        new = {"field": _b64(secrets.token_bytes(32)), "hash": _b64(secrets.token_bytes(32))}
        write_key_file(path, new, replace=False)
    data = read_key_file(path)
    return Keys(
        field=_unb64(data["field"]),
        hash=_unb64(data["hash"]),
        version=int(data.get("version", 1)),
        old=tuple((int(v), _unb64(k)) for v, k in data.get("old", {}).items()),
        cipher=data.get("cipher"),
    )


def current_cipher() -> str:
    name = keys().cipher or getattr(settings, "WUSHE_FIELD_CIPHER", AES)
    if name not in CIPHERS:
        raise ValueError(f"WUSHE_FIELD_CIPHER must be one of {sorted(CIPHERS)}, not {name!r}")
    return name


def current_prefix() -> str:
    """The prefix of what :func:`encrypt` writes now (cipher letter + current key version)."""
    return f"{CIPHERS[current_cipher()]}{keys().version}:"


def parse_prefix(token: str) -> tuple[str, int] | None:
    """``(cipher, key version)`` of a ciphertext, or None if ``token`` is not one."""
    m = _TOKEN.match(token)
    return (_BY_LETTER[m.group(1)], int(m.group(2))) if m else None


def is_ciphertext(value: Any) -> bool:
    return type(value) is str and _TOKEN.match(value) is not None


class _Aead(Protocol):
    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...
    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...


class SM4GCM:
    """SM4 in GCM mode with the same shape as ``AESGCM`` (the tag appended to the ciphertext)."""

    TAG = 16

    def __init__(self, key: bytes) -> None:
        if len(key) != 16:
            raise ValueError("SM4 keys are 16 bytes")
        self._key = key
        try:  # fail here, clearly, rather than on the first write
            Cipher(algorithms.SM4(key), modes.GCM(b"\0" * 12)).encryptor()
        except UnsupportedAlgorithm as exc:
            raise RuntimeError(
                "SM4-GCM is not available in this OpenSSL build (cryptography's backend); "
                "use WUSHE_FIELD_CIPHER='aes-256-gcm' or an OpenSSL with SM4"
            ) from exc

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        enc = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        if associated_data:
            enc.authenticate_additional_data(associated_data)
        return enc.update(data) + enc.finalize() + enc.tag

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        if len(data) < self.TAG:
            raise ValueError("ciphertext too short")
        dec = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, data[-self.TAG :])).decryptor()
        if associated_data:
            dec.authenticate_additional_data(associated_data)
        return dec.update(data[: -self.TAG]) + dec.finalize()


def sm4_available() -> bool:
    try:
        SM4GCM(b"\0" * 16)
    except RuntimeError:
        return False
    return True


def _sm4_key(key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=16, salt=None, info=b"wushe field key sm4-gcm").derive(key)


@cache
def _aead(cipher: str = AES, version: int | None = None) -> _Aead:
    key = keys().field_key(keys().version if version is None else version)
    if cipher == SM4:
        return SM4GCM(_sm4_key(key))
    return AESGCM(key)


def encrypt(value: str) -> str:
    cipher, version = current_cipher(), keys().version
    nonce = os.urandom(12)  # what secrets.token_bytes does, without its call overhead
    body = _aead(cipher, version).encrypt(nonce, value.encode(), None)
    return f"{CIPHERS[cipher]}{version}:" + base64.urlsafe_b64encode(nonce + body).decode()


def decrypt(token: str) -> str:
    parsed = parse_prefix(token)
    if parsed is None:
        raise ValueError("unknown ciphertext format")
    cipher, version = parsed
    raw = base64.urlsafe_b64decode(token[token.index(":") + 1 :].encode())
    return _aead(cipher, version).decrypt(raw[:12], raw[12:], None).decode()


def blind_index(kind: str, value: str) -> str:
    """Keyed hash of a normalised value; ``kind`` separates ID numbers from phones."""
    return hmac.digest(keys().hash, f"{kind}:{value}".encode(), "sha256").hex()
