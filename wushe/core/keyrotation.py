"""Field-key rotation: add a key, re-encrypt every encrypted column under it, retire the old.

Every :class:`~wushe.core.fields.EncryptedTextField` of every installed model (the history
tables included) is re-encrypted in batches of primary keys: each batch reads the rows that do
not yet carry the current prefix, locks them (``select_for_update``; SQLite's writes are
serialised anyway), decrypts with whichever key wrote them and writes them back with
``bulk_update`` — no ``save()``, no signals, no history rows. A run stopped half-way leaves every
row readable (old keys stay in the ring) and the next run starts with what is still pending.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q

from . import crypto
from .fields import EncryptedTextField


@dataclass(frozen=True)
class EncryptedColumns:
    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def encrypted_columns() -> Iterator[EncryptedColumns]:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        names = tuple(f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField))
        if names:
            yield EncryptedColumns(model, names)


def _pending(cols: EncryptedColumns, prefix: str) -> Q:
    """Rows with a non-empty value in one of the columns that the current key did not write.
    (``startswith`` compares the stored text: pattern lookups do not go through the field.)"""
    q = Q()
    for name in cols.fields:
        q |= ~Q(**{f"{name}__startswith": prefix}) & ~Q(**{name: ""}) & Q(**{f"{name}__isnull": False})
    return q


def pending_count(cols: EncryptedColumns | None = None) -> int:
    prefix = crypto.current_prefix()
    targets = [cols] if cols else list(encrypted_columns())
    return sum(t.model._base_manager.filter(_pending(t, prefix)).count() for t in targets)


def reencrypt(
    *,
    batch_size: int = 1000,
    limit: int | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> int:
    """Re-encrypt pending rows under the current key; ``limit`` stops after that many rows
    (a partial run). Returns the number of rows rewritten."""
    prefix = crypto.current_prefix()
    done = 0
    for cols in encrypted_columns():
        manager = cols.model._base_manager
        total = manager.filter(_pending(cols, prefix)).count()
        if not total:
            continue
        progress(f"{cols.label}: {total} rows to re-encrypt")
        last = None
        table_done = 0
        while limit is None or done < limit:
            size = batch_size if limit is None else min(batch_size, limit - done)
            with transaction.atomic():
                qs = manager.filter(_pending(cols, prefix))
                if last is not None:
                    qs = qs.filter(pk__gt=last)
                pks = list(qs.order_by("pk").values_list("pk", flat=True)[:size])
                if not pks:
                    break
                rows = list(manager.select_for_update().filter(pk__in=pks).order_by("pk"))
                for row in rows:  # read through the field: decrypted with the key that wrote it
                    for name in cols.fields:
                        value = getattr(row, name)
                        if value:
                            setattr(row, name, crypto.encrypt(value))
                manager.bulk_update(rows, list(cols.fields))
            last = pks[-1]
            done += len(rows)
            table_done += len(rows)
            progress(f"{cols.label}: {table_done}/{total}")
        if limit is not None and done >= limit:
            break
    return done


def _file_data() -> dict[str, Any]:
    return crypto.read_key_file(settings.WUSHE_KEY_FILE)


def _forget_keys() -> None:
    crypto.keys.cache_clear()
    crypto._aead.cache_clear()


def add_key(*, cipher: str | None = None) -> int:
    """Put a new field key in the key file as the current one (the old stays readable);
    ``cipher`` pins the cipher for new writes. Returns the new version."""
    k = crypto.keys()
    if k.from_env:
        raise RuntimeError(
            "field keys come from the environment: set WUSHE_FIELD_KEY to a new key, "
            "WUSHE_FIELD_KEY_VERSION to a higher version and WUSHE_FIELD_KEYS_OLD to the old "
            "'version:key' list, restart, then run rotate_field_key --no-new-key"
        )
    if cipher is not None and cipher not in crypto.CIPHERS:
        raise ValueError(f"unknown cipher {cipher!r}: one of {sorted(crypto.CIPHERS)}")
    if cipher == crypto.SM4:
        crypto.SM4GCM(b"\0" * 16)  # refuses clearly if the backend lacks SM4-GCM
    data = _file_data()
    version = int(data.get("version", 1))
    old = dict(data.get("old", {}))
    old[str(version)] = data["field"]
    new = dict(data)
    new.update(field=crypto._b64(secrets.token_bytes(32)), version=version + 1, old=old)
    if cipher is not None:
        new["cipher"] = cipher
    crypto.write_key_file(settings.WUSHE_KEY_FILE, new, replace=True)
    _forget_keys()
    return version + 1


def retire_old_keys() -> list[int]:
    """Drop the old field keys once no row needs them (checked). Returns the versions dropped."""
    left = pending_count()
    if left:
        raise RuntimeError(f"{left} rows are not yet under the current key: run the re-encryption first")
    k = crypto.keys()
    if k.from_env:
        raise RuntimeError("field keys come from the environment: unset WUSHE_FIELD_KEYS_OLD and restart")
    data = _file_data()
    dropped = sorted(int(v) for v in data.get("old", {}))
    data["old"] = {}
    crypto.write_key_file(settings.WUSHE_KEY_FILE, data, replace=True)
    _forget_keys()
    return dropped
