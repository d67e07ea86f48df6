"""Field encryption and keyed hashes for personal data (PIPL).

Values are encrypted with AES-256-GCM (``cryptography``); each ciphertext is stored as
``a1:<base64(nonce + ciphertext + tag)>`` so that another cipher (e.g. SM4 where 商用密码 is
required) can be added under a new prefix without rewriting old rows.

Lookups go through a keyed hash (HMAC-SHA256 with a separate key) of the normalised value:
equal values give equal hashes, but the hash reveals nothing without the key.

Keys come from ``WUSHE_FIELD_KEY`` and ``WUSHE_HASH_KEY`` (urlsafe base64 of 32 bytes). Without
them, the embedded default creates ``settings.WUSHE_KEY_FILE`` at first use with mode 0600.
Losing the key file means losing the encrypted data: back it up with the database.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "a1:"


@dataclass(frozen=True)
class Keys:
    field: bytes
    hash: bytes


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text.encode())
    if len(raw) != 32:
        raise ValueError("wushe keys must be 32 bytes (urlsafe base64)")
    return raw


@cache
def keys() -> Keys:
    """The keys in force: the environment's, else the key file's (created on first use)."""
    env_field, env_hash = os.environ.get("WUSHE_FIELD_KEY"), os.environ.get("WUSHE_HASH_KEY")
    if env_field and env_hash:
        return Keys(field=_unb64(env_field), hash=_unb64(env_hash))
    path = settings.WUSHE_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"field": _b64(secrets.token_bytes(32)), "hash": _b64(secrets.token_bytes(32))}
        # written whole to a private file first, then linked into place: the key file appears
        # complete or not at all, and never replaces one another process created first (two
        # processes starting together — an import's workers — must not read a half-written file
        # nor end up with different keys)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")  # created 0600
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):  # another process was first: its keys are the keys
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    data = json.loads(path.read_text())
    return Keys(field=_unb64(data["field"]), hash=_unb64(data["hash"]))


@cache
def _aead() -> AESGCM:
    return AESGCM(keys().field)


def encrypt(value: str) -> str:
    nonce = os.urandom(12)  # what secrets.token_bytes does, without its call overhead
    return PREFIX + base64.urlsafe_b64encode(nonce + _aead().encrypt(nonce, value.encode(), None)).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("unknown ciphertext format")
    raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode())
    return _aead().decrypt(raw[:12], raw[12:], None).decode()


def blind_index(kind: str, value: str) -> str:
    """Keyed hash of a normalised value; ``kind`` separates ID numbers from phones."""
    return hmac.digest(keys().hash, f"{kind}:{value}".encode(), "sha256").hex()
