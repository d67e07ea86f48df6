"""``manage.py audit_verify``: check the access-event hash chain; exit 1 at the first broken link."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from wushe.core import auditchain


class Command(BaseCommand):
    help = "Verify the access-event hash chain; names the first broken link and exits non-zero."

    def handle(self, *args: Any, **options: Any) -> None:
        report = auditchain.verify()
        if report.broken is not None:
            self.stderr.write(str(report.broken))
            sys.exit(1)
        self.stdout.write(
            f"chain intact: {report.checked} sealed events, head seq {report.head_seq} "
            f"hash {report.head_hash or '-'}; {report.unsealed} not yet sealed"
        )
