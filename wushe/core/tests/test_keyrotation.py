"""SM4-GCM field encryption and field-key rotation (``manage.py rotate_field_key``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import PersonFactory, next_id_number
from wushe.core import crypto, keyrotation
from wushe.registry.models import Person
from wushe.registry.selectors import PersonFilters, person_list

needs_sm4 = pytest.mark.skipif(not crypto.sm4_available(), reason="this OpenSSL build lacks SM4-GCM")


def _clear() -> None:
    crypto.keys.cache_clear()
    crypto._aead.cache_clear()


@pytest.fixture
def key_file(settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    monkeypatch.delenv("WUSHE_FIELD_KEY", raising=False)
    monkeypatch.delenv("WUSHE_HASH_KEY", raising=False)
    settings.WUSHE_KEY_FILE = tmp_path / "keys.json"
    settings.WUSHE_FIELD_CIPHER = crypto.AES
    _clear()
    yield settings.WUSHE_KEY_FILE
    _clear()


def _raw(column: str, table: str = "registry_person") -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 — fixed names
        return [r[0] for r in cursor.fetchall()]


def _all_ids() -> list[str]:
    return _raw("id_number") + _raw("id_number", "registry_historicalperson")


@needs_sm4
def test_sm4_round_trip(key_file: Any, settings: Any) -> None:
    settings.WUSHE_FIELD_CIPHER = crypto.SM4
    for text in ("37010219800517123X", "祝长连", "", "a" * 1000):
        token = crypto.encrypt(text)
        assert token.startswith("s1:")
        assert text == "" or text not in token
        assert crypto.decrypt(token) == text
    # AES rows written before the switch still read
    settings.WUSHE_FIELD_CIPHER = crypto.AES
    aes = crypto.encrypt("13812345678")
    settings.WUSHE_FIELD_CIPHER = crypto.SM4
    assert aes.startswith("a1:") and crypto.decrypt(aes) == "13812345678"


@needs_sm4
def test_sm4_tampered_ciphertext_is_rejected(key_file: Any, settings: Any) -> None:
    import base64

    settings.WUSHE_FIELD_CIPHER = crypto.SM4
    token = crypto.encrypt("13812345678")
    raw = bytearray(base64.urlsafe_b64decode(token[3:]))
    raw[-1] ^= 1
    with pytest.raises(Exception):  # noqa: B017 — cryptography's InvalidTag
        crypto.decrypt("s1:" + base64.urlsafe_b64encode(bytes(raw)).decode())


def test_unknown_cipher_setting_is_refused(key_file: Any, settings: Any) -> None:
    settings.WUSHE_FIELD_CIPHER = "des"
    with pytest.raises(ValueError, match="WUSHE_FIELD_CIPHER"):
        crypto.encrypt("x")


def _people(tree: Any, n: int) -> list[Any]:
    return [
        PersonFactory(region=tree.grid_a, id_number=next_id_number(), phone=f"1391234{5670 + i:04d}")
        for i in range(n)
    ]


def test_rotation_reencrypts_everything_and_old_values_stay_readable(
    key_file: Any, tree: Any, users: Any
) -> None:
    people = _people(tree, 5)
    old_token = crypto.encrypt("13800000000")
    assert all(c.startswith("a1:") for c in _raw("id_number"))

    call_command("rotate_field_key", "--batch-size", "2", stdout=_Sink())

    assert crypto.keys().version == 2
    assert crypto.decrypt(old_token) == "13800000000"  # the old key is still in the ring
    assert all(c.startswith("a2:") for c in _raw("id_number"))
    assert all(c.startswith("a2:") for c in _raw("phone"))
    assert keyrotation.pending_count() == 0  # the history tables too
    for p in people:
        fresh = Person.objects.get(pk=p.pk)
        assert fresh.id_number == p.id_number and fresh.phone == p.phone
    # lookup by keyed hash still finds the person: the hash key is not rotated
    found = person_list(user=users.street_admin, filters=PersonFilters(q=people[0].id_number))
    assert [x.pk for x in found] == [people[0].pk]
    # new writes use the new key
    assert crypto.encrypt("x").startswith("a2:")


def test_retire_old_only_after_everything_is_reencrypted(key_file: Any, tree: Any) -> None:
    _people(tree, 3)
    call_command("rotate_field_key", "--limit", "1", stdout=_Sink())
    assert keyrotation.pending_count() > 0
    with pytest.raises(CommandError, match="not yet under the current key"):
        call_command("rotate_field_key", "--no-new-key", "--retire-old", "--limit", "0", stdout=_Sink())
    assert crypto.keys().old  # nothing retired
    call_command("rotate_field_key", "--no-new-key", "--retire-old", stdout=_Sink())
    assert crypto.keys().old == ()
    assert all(Person.objects.get(pk=pk).id_number for pk in Person.objects.values_list("pk", flat=True))
    import json
    import stat

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert json.loads(key_file.read_text())["old"] == {}


def test_interrupted_rotation_stays_readable_and_a_second_run_finishes(
    key_file: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = _people(tree, 6)
    real = crypto.encrypt

    def failing(value: str) -> str:
        if value == people[3].id_number:  # the fourth person's batch (rows 3-4) fails
            raise RuntimeError("power cut")
        return real(value)

    keyrotation.add_key()
    monkeypatch.setattr(crypto, "encrypt", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        keyrotation.reencrypt(batch_size=2)
    monkeypatch.setattr(crypto, "encrypt", real)
    assert {c[:3] for c in _all_ids()} == {"a1:", "a2:"}  # half done
    for p in people:  # … and everything reads
        assert Person.objects.get(pk=p.pk).id_number == p.id_number
    call_command("rotate_field_key", "--no-new-key", stdout=_Sink())
    assert {c[:3] for c in _all_ids()} == {"a2:"}
    assert keyrotation.pending_count() == 0
    for p in people:
        assert Person.objects.get(pk=p.pk).id_number == p.id_number


@needs_sm4
def test_rotation_can_switch_to_sm4(key_file: Any, tree: Any) -> None:
    people = _people(tree, 2)
    call_command("rotate_field_key", "--cipher", "sm4-gcm", stdout=_Sink())
    assert {c[:3] for c in _raw("id_number")} == {"s2:"}
    assert crypto.encrypt("x").startswith("s2:")  # the key file pins the cipher
    assert Person.objects.get(pk=people[1].pk).id_number == people[1].id_number


def test_environment_keys_are_not_rotated_by_the_command(
    key_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64
    import os

    monkeypatch.setenv("WUSHE_FIELD_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    monkeypatch.setenv("WUSHE_HASH_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    _clear()
    with pytest.raises(CommandError, match="WUSHE_FIELD_KEYS_OLD"):
        call_command("rotate_field_key", stdout=_Sink())


def test_environment_old_keys_stay_readable(key_file: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import os

    old, new, h = (base64.urlsafe_b64encode(os.urandom(32)).decode() for _ in range(3))
    monkeypatch.setenv("WUSHE_FIELD_KEY", old)
    monkeypatch.setenv("WUSHE_HASH_KEY", h)
    _clear()
    token = crypto.encrypt("13812345678")
    monkeypatch.setenv("WUSHE_FIELD_KEY", new)
    monkeypatch.setenv("WUSHE_FIELD_KEY_VERSION", "2")
    monkeypatch.setenv("WUSHE_FIELD_KEYS_OLD", f"1:{old}")
    _clear()
    assert crypto.decrypt(token) == "13812345678"
    assert crypto.encrypt("x").startswith("a2:")


class _Sink:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        pass
