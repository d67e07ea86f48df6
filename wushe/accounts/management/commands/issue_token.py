from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.accounts.models import User
from wushe.accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (shown once; use it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        self.stdout.write(api_token_issue(user=user, name=options["name"]))
