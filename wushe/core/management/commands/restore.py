"""``manage.py restore FILE``: a backup made by ``manage.py backup`` into an empty database.

The target database must be empty (``createdb`` a new one, or a new SQLite path); the key file
(``WUSHE_DATA_DIR/keys.json``, or ``--key-file``) is written from the backup, and refused if a
different one is already there. Migrations are not run: the backup's schema is restored as it was;
run ``manage.py migrate`` afterwards when the code is newer than the backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.core.backup import BackupError, restore

from .backup import read_passphrase


class Command(BaseCommand):
    help = "Restore a wushe backup (database, uploads, keys) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--passphrase-env", help="read the passphrase from this environment variable")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--key-file", type=Path, help="where to write the keys (default: the settings' key file)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["file"].is_file():
            raise CommandError(f"找不到备份文件 / no such backup file: {opts['file']}")
        passphrase = read_passphrase(opts["passphrase_env"], confirm=False)
        try:
            done = restore(opts["file"], passphrase, alias=opts["database"], key_file=opts["key_file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复 / restored: {done['engine']} backup of {done['created']}, "
            f"{done['uploads']} uploaded files, keys in {done['key_file']}"
        )
