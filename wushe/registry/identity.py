"""A person's stored values derived from the name, the ID number and the phone: the blind
indexes (hashes) that find a number without decrypting, the masks shown in lists, the pinyin and
the search keys. One function, :func:`derive`, for the interactive writes and the bulk path;
one function, :func:`normalise_name`, for how every path (the forms, the API, the import, the
search box) writes a name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wushe.core import crypto
from wushe.core.validators import mask_id_number, mask_phone

from .pinyin import name_keys, primary_pinyin

# Han characters (the CJK blocks a name uses) and the separator of transliterated names.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]")
# The dots written between the parts of a transliterated name (阿依古丽·吐尔逊): one of them.
_DOTS = re.compile(r"[•・‧∙⋅･]")
# Characters that take no room: left out.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACE_RUN = re.compile(r"\s+")
_WORK = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u00ad•・‧∙⋅･]")


def normalise_name(raw: str) -> str:
    """A name as wushe stores and searches it.

    - Width folded (NFKC): full-width letters and the full-width space become their plain forms.
    - Spaces dropped wherever a Han character (or the dot of a transliterated name) is on
      either side: " 王 小 明 " → "王小明", "阿依古丽 · 吐尔逊" → "阿依古丽·吐尔逊".
    - Between two Latin (or other non-Han) words one space is kept: "Ayi  Guli" → "Ayi Guli"
      (minority and foreign names written in Latin letters keep their word breaks and case).
    - The dot variants (•, ・, ‧ …) become the middle dot ·; invisible characters go.
    """
    text = raw or ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not _WORK.search(text):  # most names: nothing to do (an import reads a million)
        return text
    text = _DOTS.sub("·", _INVISIBLE.sub("", text))
    words = _SPACE_RUN.split(text.strip())
    out = words[0]
    for word in words[1:]:
        if not (_CJK.match(out[-1]) or _CJK.match(word[0])):
            out += " "
        out += word
    return out


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
