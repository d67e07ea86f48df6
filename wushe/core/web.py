"""Page helpers every app's views share: pagination, the query string without its page, a
service's error as one line."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)
