"""What the registry's reads share: the encrypted columns a list never loads, the check that
keeps personal numbers out of URLs and logs, the ledger's colours, certificates in force."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Prefetch, Q, QuerySet

from wushe.core.sensitive import contains_personal_number
from wushe.core.validators import normalise_digits

from ..models import (
    DEFAULT_LEDGER_COLOURS,
    DisabilityCertificate,
    LedgerColour,
    LedgerColourRule,
    Person,
)

if TYPE_CHECKING:
    pass

LIST_DEFER = ("id_number", "phone", "contact_phone")


def masked_people(lookup: str) -> Prefetch[str, QuerySet[Person], str]:
    """Prefetch the persons at ``lookup`` (``person``, ``household__members``) without their
    encrypted columns: what other apps' lists (and drill-downs) show of people."""
    return Prefetch(lookup, queryset=Person.objects.defer(*LIST_DEFER))


CJK = re.compile(r"[\u3400-\u9fff]")
SENSITIVE = re.compile(r"^(?=(?:\D*\d){6})[0-9X+]{7,}$")  # at least six digits: a number, not pinyin


def is_sensitive_query(q: str) -> bool:
    """ID, certificate and phone numbers must never travel in a URL or a log line: the query
    is one (six digits or more), or has one inside (``身份证3716…``, ``tel:138…``)."""
    return bool(SENSITIVE.match(normalise_digits(q or ""))) or contains_personal_number(q or "")


def colour_map() -> dict[int, str]:
    mapping = {int(k): str(v) for k, v in DEFAULT_LEDGER_COLOURS.items()}
    mapping.update({r.category: r.colour for r in LedgerColourRule.objects.all()})
    return mapping


def categories_of_colour(colour: str) -> list[int]:
    return [c for c, col in colour_map().items() if col == colour]


def colour_labels() -> dict[str, str]:
    return {c.value: str(c.label) for c in LedgerColour}


CertificatesQS = TypeVar("CertificatesQS", bound=QuerySet[DisabilityCertificate])


def in_force(qs: CertificatesQS, as_of: datetime.date | None) -> CertificatesQS:
    """The certificates of ``qs`` in force on ``as_of`` (today, the open ones, if None)."""
    if as_of is None:
        return qs.filter(valid_to__isnull=True)
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of), valid_from__lte=as_of)


def certificates_valid(as_of: datetime.date | None) -> QuerySet[DisabilityCertificate]:
    return in_force(DisabilityCertificate.objects.all(), as_of)
