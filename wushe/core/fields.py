"""Model fields that keep personal data encrypted at rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from . import crypto

if TYPE_CHECKING:
    # django-stubs types a field by what it is set to and what it reads back; at run time
    # Django's field classes take no type arguments
    _TextField = models.TextField[str, str]
else:
    _TextField = models.TextField


class EncryptedTextField(_TextField):
    """Stores text encrypted with :mod:`wushe.core.crypto`; reads it back decrypted.

    The ciphertext is randomised, so the column cannot be searched or compared: pair it with a
    keyed-hash column for lookups and a masked column for display. Lists should ``defer()`` it.
    """

    description = "Text encrypted at rest (AES-256-GCM or SM4-GCM)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if crypto.is_ciphertext(value):  # already sealed (a bulk writer, a key rotation)
            return value
        return crypto.encrypt(str(value))
