"""``manage.py rotate_field_key``: a new field key, every encrypted column re-encrypted under it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.core import crypto, keyrotation


class Command(BaseCommand):
    help = (
        "Add a new field-encryption key (the key file's; with keys from the environment, set them "
        "and pass --no-new-key), make it current, re-encrypt every encrypted column in batches "
        "(resumable: run again after an interruption), then optionally retire the old keys. "
        "The keyed-hash (lookup) key is not rotated. Restart the application after adding a key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cipher", choices=sorted(crypto.CIPHERS), help="cipher for new writes from now on"
        )
        parser.add_argument(
            "--no-new-key", action="store_true", help="only finish re-encrypting under the current key"
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--limit", type=int, default=None, help="stop after this many rows (a partial run)"
        )
        parser.add_argument("--retire-old", action="store_true", help="drop old keys once no row needs them")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            if not options["no_new_key"]:
                version = keyrotation.add_key(cipher=options["cipher"])
                self.stdout.write(f"new field key version {version} ({crypto.current_cipher()}) is current")
            elif options["cipher"]:
                raise CommandError("--cipher needs a new key (drop --no-new-key)")
            done = keyrotation.reencrypt(
                batch_size=options["batch_size"], limit=options["limit"], progress=self.stdout.write
            )
            left = keyrotation.pending_count()
            self.stdout.write(f"re-encrypted {done} rows; {left} rows still under older keys")
            if options["retire_old"]:
                dropped = keyrotation.retire_old_keys()
                self.stdout.write(f"retired field key versions {dropped}")
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
