"""A person's stored values derived from the name, the ID number and the phone: the blind
indexes (hashes) that find a number without decrypting, the masks shown in lists, the pinyin and
the search keys. One function, :func:`derive`, for the interactive writes and the bulk path."""

from __future__ import annotations

from dataclasses import dataclass

from wushe.core import crypto
from wushe.core.validators import mask_id_number, mask_phone

from .pinyin import name_keys, primary_pinyin


def id_hash(number: str) -> str:
    return crypto.blind_index("id", number)


def phone_hash(number: str) -> str:
    return crypto.blind_index("phone", number)


@dataclass(frozen=True, slots=True)
class Derived:
    """What :func:`derive` computed ("" / () for a part not asked for, or empty)."""

    name_pinyin: str = ""
    search_keys: tuple[str, ...] = ()
    id_hash: str = ""
    id_masked: str = ""
    phone_hash: str = ""
    phone_masked: str = ""


def derive(*, name: str | None = None, id_number: str | None = None, phone: str | None = None) -> Derived:
    """The stored values derived from the (checked, normalised) ``name``, ``id_number`` and
    ``phone`` given; an empty phone derives empty values."""
    return Derived(
        name_pinyin=primary_pinyin(name)[:200] if name else "",
        search_keys=tuple(k[:200] for k in name_keys(name)) if name else (),
        id_hash=id_hash(id_number) if id_number else "",
        id_masked=mask_id_number(id_number) if id_number else "",
        phone_hash=phone_hash(phone) if phone else "",
        phone_masked=mask_phone(phone) if phone else "",
    )
