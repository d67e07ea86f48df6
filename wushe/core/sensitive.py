"""ID and phone numbers anywhere in a text: query strings and log lines must never carry one.

The search box's own check (``registry.selectors.is_sensitive_query``) caught only a query that
*was* a number; ``身份证371602198504230034``, ``371602198504230034号``, ``手机13812345678`` and
``tel:13812345678`` went into the URL and the logs. This finds a number inside any text:

- an ID number: 18 digits, 17 digits and X, or the old 15 digits with a birth date YYMMDD inside
  (a grid's 15-digit region code has none) — and anything longer than 15 digits, such as a
  disability certificate number, which begins with the holder's ID;
- a mobile number: 11 digits 13x–19x, also after +86 / 0086;
- a landline with its area code: 0 and 9–11 more digits.

Full-width digits count, and so do single spaces, hyphens or dots between the digits
(``138 1234 5678``, ``0543-3211234``, ``３７１６０２…``).
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata

# one separator between two digits is part of the number ("138-1234-5678", "371602 1985…")
_INNER_SEPARATOR = re.compile(r"(?<=\d)[ \t\-.·‐‑–—](?=\d)")
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[Xx]\d*)?(?!\d)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
REDACTED = "[已隐去/redacted]"
# A UUID (a task's, an offline item's, in a log line) is 32 hex digits in groups 8-4-4-4-12: the
# digits of its groups joined across the hyphens are no number of a person's. One made of digits
# alone is not a random UUID and is read as digits like any other text.
_UUID = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![0-9A-Za-z])")


def _outside_uuids(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_uuid) pieces."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for match in _UUID.finditer(text):
        if not any(c.isalpha() for c in match.group()):
            continue
        pieces.append((text[at : match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    pieces.append((text[at:], False))
    return pieces


def _normalised(text: str) -> str:
    return _INNER_SEPARATOR.sub("", unicodedata.normalize("NFKC", text))


def _yymmdd(text: str) -> bool:
    try:
        datetime.date(1900 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return False
    return True


def _is_personal(run: str) -> bool:
    digits, x, _rest = run.upper().partition("X")
    if x:
        return len(digits) in (14, 17)  # an ID ending in X (a certificate number goes on after it)
    if len(digits) == 15:  # an old ID (its YYMMDD a date), not a grid's region code
        return _yymmdd(digits[6:12])
    if len(digits) >= 16:  # an ID number, or a longer number holding one
        return True
    if _MOBILE.fullmatch(digits):
        return True
    if digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return True
    return digits.startswith("0") and 10 <= len(digits) <= 12


def personal_number_in(text: str) -> str | None:
    """The first ID or phone number in ``text`` (digits only, an X upper-cased), or None."""
    if not text or not any(c.isdigit() for c in text):
        return None
    for piece, is_uuid in _outside_uuids(text):
        if is_uuid:
            continue
        for match in _DIGIT_RUN.finditer(_normalised(piece)):
            run = match.group()
            if _is_personal(run):
                digits = run.upper()
                if digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
                    return digits[2:]
                return digits
    return None


def contains_personal_number(text: str) -> bool:
    return personal_number_in(text) is not None


def redact_personal_numbers(text: str) -> str:
    """Every ID or phone number in ``text`` replaced by ``REDACTED``."""
    if not contains_personal_number(text):
        return text
    return "".join(
        piece
        if is_uuid
        else _DIGIT_RUN.sub(lambda m: REDACTED if _is_personal(m.group()) else m.group(), _normalised(piece))
        for piece, is_uuid in _outside_uuids(text)
    )


class RedactPersonalNumbers(logging.Filter):
    """A logging filter (settings.LOGGING) that removes ID and phone numbers from every line
    wushe writes: a request line or a message may quote a URL someone typed a number into."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a malformed record is left to the handler
            return True
        redacted = redact_personal_numbers(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
