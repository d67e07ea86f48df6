"""Field encryption, keyed hashes, the key file, and what the database really holds."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from tests.factories import PersonFactory, certificate_for, next_id_number
from wushe.core import crypto
from wushe.core.validators import mask_id_number
from wushe.registry import services
from wushe.registry.models import Person


def _clear_caches() -> None:
    crypto.keys.cache_clear()
    crypto._aead.cache_clear()


@pytest.fixture
def fresh_keys(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with caches cleared; clear them again before ``settings``/``monkeypatch`` restore."""
    _clear_caches()
    yield
    _clear_caches()


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_round_trip() -> None:
    for text in ("37010219800517123X", "13812345678", "祝长连", "", "a" * 1000):
        token = crypto.encrypt(text)
        assert token.startswith(crypto.PREFIX)
        assert text == "" or text not in token
        assert crypto.decrypt(token) == text


def test_nonce_is_random() -> None:
    a, b = crypto.encrypt("13812345678"), crypto.encrypt("13812345678")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "13812345678"


def test_tampered_ciphertext_is_rejected() -> None:
    token = crypto.encrypt("13812345678")
    raw = bytearray(base64.urlsafe_b64decode(token[len(crypto.PREFIX) :]))
    raw[-1] ^= 1
    with pytest.raises(Exception):  # noqa: B017 — cryptography's InvalidTag
        crypto.decrypt(crypto.PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode())
    with pytest.raises(ValueError):
        crypto.decrypt("plain text")


def test_blind_index_is_stable_and_separates_kinds() -> None:
    a = crypto.blind_index("id", "37010219800517123X")
    assert a == crypto.blind_index("id", "37010219800517123X")
    assert len(a) == 64
    assert a != crypto.blind_index("phone", "37010219800517123X")
    assert a != crypto.blind_index("id", "37010219800517124X")
    # not a bare hash that anyone could recompute
    assert a != hashlib.sha256(b"id:37010219800517123X").hexdigest()
    assert a != hashlib.sha256(b"37010219800517123X").hexdigest()


def test_blind_index_depends_on_the_hash_key(fresh_keys: None, monkeypatch: pytest.MonkeyPatch) -> None:
    field_key = _key()
    monkeypatch.setenv("WUSHE_FIELD_KEY", field_key)
    monkeypatch.setenv("WUSHE_HASH_KEY", _key())
    first = crypto.blind_index("id", "37010219800517123X")
    token = crypto.encrypt("secret")
    monkeypatch.setenv("WUSHE_HASH_KEY", _key())
    _clear_caches()
    assert crypto.blind_index("id", "37010219800517123X") != first
    assert crypto.decrypt(token) == "secret"  # the field key did not change


def test_keys_come_from_the_environment(fresh_keys: None, monkeypatch: pytest.MonkeyPatch) -> None:
    field_key, hash_key = _key(), _key()
    monkeypatch.setenv("WUSHE_FIELD_KEY", field_key)
    monkeypatch.setenv("WUSHE_HASH_KEY", hash_key)
    k = crypto.keys()
    assert k.field == base64.urlsafe_b64decode(field_key)
    assert k.hash == base64.urlsafe_b64decode(hash_key)


def test_short_environment_key_is_refused(fresh_keys: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUSHE_FIELD_KEY", base64.urlsafe_b64encode(b"short").decode())
    monkeypatch.setenv("WUSHE_HASH_KEY", _key())
    with pytest.raises(ValueError):
        crypto.keys()


def test_key_file_is_created_with_mode_0600(
    fresh_keys: None, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.delenv("WUSHE_FIELD_KEY", raising=False)
    monkeypatch.delenv("WUSHE_HASH_KEY", raising=False)
    path = tmp_path / "sub" / "keys.json"
    settings.WUSHE_KEY_FILE = path
    assert not path.exists()

    k = crypto.keys()
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert base64.urlsafe_b64decode(data["field"]) == k.field
    assert base64.urlsafe_b64decode(data["hash"]) == k.hash
    assert len(k.field) == len(k.hash) == 32
    assert k.field != k.hash
    token = crypto.encrypt("13812345678")

    # a second start reads the same file: old ciphertexts stay readable
    _clear_caches()
    assert crypto.keys() == k
    assert crypto.decrypt(token) == "13812345678"
    assert json.loads(path.read_text()) == data


# ---- the database holds no plaintext ------------------------------------------------------


def _all_cells(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — fixed names
        return [str(cell) for row in cursor.fetchall() for cell in row if cell is not None]


def test_database_holds_no_plaintext_id_or_phone(tree: Any, users: Any) -> None:
    secrets_: list[str] = []
    persons = []
    for i in range(3):
        number = next_id_number()
        phone = f"1391234{5670 + i:04d}"
        contact = f"1380000{1230 + i:04d}"
        person = PersonFactory(
            region=tree.grid_a,
            id_number=number,
            phone=phone,
            contact_phone=contact,
            disability_certificate=certificate_for(number, 6, 2),
        )
        persons.append(person)
        secrets_ += [number, number[:17], number[6:14] + number[14:17], phone, contact]
    # updates and moves write history rows too
    new_phone = "13698765432"
    services.person_update(acting_user=users.worker_a, person=persons[0], phone=new_phone, name="改名")
    services.person_move(acting_user=users.street_admin, person=persons[1], region=tree.community_b)
    secrets_.append(new_phone)

    tables = ["registry_person", "registry_historicalperson"]
    cells = [c for t in tables for c in _all_cells(t)]
    assert len(_all_cells("registry_historicalperson")) > len(_all_cells("registry_person"))
    for secret in secrets_:
        leaks = [c for c in cells if secret in c]
        assert leaks == [], f"{secret} stored in clear"
    # the ID-number, phone and contact-phone columns hold ciphertext
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, contact_phone, id_masked FROM registry_person")
        rows = cursor.fetchall()
    assert len(rows) == 3
    for id_cipher, phone_cipher, contact_cipher, masked in rows:
        assert id_cipher.startswith(crypto.PREFIX)
        assert phone_cipher.startswith(crypto.PREFIX)
        assert contact_cipher.startswith(crypto.PREFIX)
        assert "********" in masked
    # … and the ORM reads them back
    fresh = Person.objects.get(pk=persons[0].pk)
    assert fresh.id_number == persons[0].id_number
    assert fresh.phone == new_phone
    assert fresh.id_masked == mask_id_number(persons[0].id_number)


def test_processes_starting_together_read_one_whole_key_file(
    fresh_keys: None, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """An import's workers start together on a machine without a key file yet: none may read a
    half-written file, and all must end with the same keys (threads here, the same system calls)."""
    import threading

    monkeypatch.delenv("WUSHE_FIELD_KEY", raising=False)
    monkeypatch.delenv("WUSHE_HASH_KEY", raising=False)
    for attempt in range(30):
        path = tmp_path / f"round{attempt}" / "keys.json"
        settings.WUSHE_KEY_FILE = path
        barrier = threading.Barrier(12)
        got: list[Any] = []

        def start(barrier: threading.Barrier = barrier, got: list[Any] = got) -> None:
            barrier.wait()
            try:
                got.append(crypto.keys.__wrapped__())
            except Exception as exc:  # noqa: BLE001 — collected and asserted below
                got.append(exc)

        threads = [threading.Thread(target=start) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not [g for g in got if isinstance(g, Exception)], got
        assert len({(k.field, k.hash) for k in got}) == 1
        assert sorted(p.name for p in path.parent.iterdir()) == ["keys.json"]  # no temporary file left
