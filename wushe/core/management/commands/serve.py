"""``manage.py serve [addrport]``: the development web server and the task worker together
(``make run``); Ctrl-C stops both, and so does either one exiting.

Background tasks (the ledger import's dry run and commit, the sealing of the access log) run in
a worker process: ``manage.py db_worker`` for the database queue (the default), ``manage.py
rqworker`` when the tasks go to Redis with django-tasks-rq. Production runs the worker as its
own service (README); this command is for a single machine and for trying wushe out.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from wushe.core.processes import Command as Process
from wushe.core.processes import run_together

# The worker command of each task backend; a backend not named here runs tasks in the web
# process (immediate) or drops them (dummy): no worker to start.
WORKERS = {
    "django_tasks_db.DatabaseBackend": ["db_worker"],
    "django_tasks.backends.database.DatabaseBackend": ["db_worker"],
    "django_tasks_rq.RQBackend": ["rqworker", "default"],
}


def _manage_py() -> str:
    return str(Path(settings.BASE_DIR) / "manage.py")


def worker_argv(python: str = sys.executable) -> list[str] | None:
    """The worker's command line for the configured default task backend, or ``None``."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    args = WORKERS.get(backend)
    return [python, _manage_py(), *args] if args else None


def commands(addrport: str, *, worker: bool = True, python: str = sys.executable) -> list[Process]:
    """The processes ``serve`` starts: the web server, and the worker when the backend needs one."""
    web = [python, _manage_py(), "runserver", addrport]
    out = [Process("web", web)]
    argv = worker_argv(python) if worker else None
    if argv is not None:
        out.append(Process("worker", argv))
    return out


class Command(BaseCommand):
    help = "Serve the site and run the background task worker beside it; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Serve only (a worker runs elsewhere).")

    def handle(self, *args: Any, **options: Any) -> None:
        procs = commands(options["addrport"], worker=not options["no_worker"])
        if len(procs) == 1 and not options["no_worker"]:
            self.stdout.write("The task backend needs no worker process: serving only.")
        self.stdout.write("Stop with Ctrl-C (the server and the worker stop together).")
        status = run_together(procs, out=self.stdout)
        if status not in (0, 130, 143):
            sys.exit(status)
