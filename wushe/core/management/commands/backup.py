"""``manage.py backup FILE``: the database, the uploads and the keys (encrypted) in one file.

The passphrase that protects the keys is asked for twice, or read from the environment variable
named by ``--passphrase-env`` (for a scheduled backup). Keep it apart from the backup: a backup
without its passphrase is as lost as one without its keys. See wushe/core/backup.py.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.core.backup import BackupError, backup


def read_passphrase(env_name: str | None, *, confirm: bool) -> str:
    """The passphrase from the named environment variable, else typed (twice when ``confirm``)."""
    if env_name:
        value = os.environ.get(env_name)
        if not value:
            raise CommandError(f"环境变量 {env_name} 为空 / the environment variable {env_name} is empty")
        return value
    first = getpass.getpass("备份口令 / backup passphrase: ")
    if confirm and getpass.getpass("再输入一次 / again: ") != first:
        raise CommandError("两次输入的口令不一致 / the passphrases differ")
    return first


class Command(BaseCommand):
    help = "Back up the database, uploads and keys (keys encrypted with a passphrase) into FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--passphrase-env", help="read the passphrase from this environment variable")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **opts: Any) -> None:
        passphrase = read_passphrase(opts["passphrase_env"], confirm=True)
        try:
            summary = backup(opts["file"], passphrase, alias=opts["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = summary.path.stat().st_size
        self.stdout.write(
            f"备份完成 / backed up: {summary.path} ({size:,} bytes; {summary.engine}; "
            f"{summary.uploads} uploaded files; keys encrypted)"
        )
