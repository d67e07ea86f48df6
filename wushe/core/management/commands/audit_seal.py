"""``manage.py audit_seal``: seal the access events not yet in the hash chain, now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from wushe.core import auditchain


class Command(BaseCommand):
    help = "Seal the unsealed access events into the hash chain (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"sealed {auditchain.seal()} access events")
