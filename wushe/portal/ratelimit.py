"""Rate limits of the public pages, kept in Django's cache (Redis in production, the local-memory
cache in tests and the embedded default): a fixed window per key, the key a keyed hash of the
IP address, phone number or request number (the cache never holds them in the clear).

Settings (each a count and a window in seconds):
- ``WUSHE_PUBLIC_RATE_IP`` submissions from one IP address (default 10 an hour);
- ``WUSHE_PUBLIC_RATE_PHONE`` submissions with one phone number (default 3 a day);
- ``WUSHE_PUBLIC_RATE_CHECK`` wrong check codes from one IP address, and for one number
  (default 5 an hour each), after which checking is refused until the window ends.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from wushe.core.crypto import blind_index

DEFAULTS: dict[str, tuple[int, int]] = {
    "WUSHE_PUBLIC_RATE_IP": (10, 3600),
    "WUSHE_PUBLIC_RATE_PHONE": (3, 86400),
    "WUSHE_PUBLIC_RATE_CHECK": (5, 3600),
}


def limit(setting: str) -> tuple[int, int]:
    count, seconds = getattr(settings, setting, DEFAULTS[setting])
    return int(count), int(seconds)


def _key(kind: str, value: str) -> str:
    return f"wushe-public:{kind}:{blind_index('ratelimit', f'{kind}:{value}')[:40]}"


def used(kind: str, value: str) -> int:
    """How many times ``value`` has been counted in the current window."""
    return int(cache.get(_key(kind, value), 0))


def exceeded(kind: str, value: str, setting: str) -> bool:
    """The window of ``value`` is full (nothing is counted)."""
    count, _seconds = limit(setting)
    return used(kind, value) >= count


def count(kind: str, value: str, setting: str) -> int:
    """Count one more for ``value`` in its window (the window starts at the first count)."""
    _count, seconds = limit(setting)
    key = _key(kind, value)
    if cache.add(key, 1, timeout=seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        return 1
