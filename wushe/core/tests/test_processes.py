"""``manage.py serve`` (``make run``): the web server and the task worker start together and
stop together — on Ctrl-C, on SIGTERM, and when either one exits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from wushe.core.management.commands import serve
from wushe.core.processes import Command, run_together

PY = sys.executable
SLEEP = [PY, "-c", "import time; time.sleep(60)"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by a parent that is itself gone) counts as stopped
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def _wait_gone(pids: list[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def test_the_first_to_exit_stops_the_others() -> None:
    pids: list[int] = []
    start = time.monotonic()
    status = run_together(
        [
            Command("worker", SLEEP),
            Command("web", [PY, "-c", "import sys, time; time.sleep(0.3); sys.exit(3)"]),
        ],
        grace=5,
        started=lambda procs: pids.extend(p.pid for p in procs),
    )
    assert status == 3 and time.monotonic() - start < 10
    assert _wait_gone(pids)


def test_a_child_that_ignores_ctrl_c_is_killed_after_the_grace() -> None:
    stubborn = [PY, "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)"]
    pids: list[int] = []
    status = run_together(
        [Command("stubborn", stubborn), Command("quick", [PY, "-c", "pass"])],
        grace=0.5,
        started=lambda procs: pids.extend(p.pid for p in procs),
    )
    assert status == 0
    assert _wait_gone(pids)


def _supervisor(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """run_together in a process of its own (as ``make run`` runs it), two sleepers as children
    (one of them starting a grandchild, as the auto-reloader does); the pids are written down."""
    pids = tmp_path / "pids.json"
    script = textwrap.dedent(
        f"""
        import json, sys
        from wushe.core.processes import Command, run_together
        grandchild = "import subprocess, sys, time; subprocess.Popen({SLEEP!r}); time.sleep(60)"
        def started(procs):
            open({str(pids)!r}, "w").write(json.dumps([p.pid for p in procs]))
        sys.exit(run_together(
            [Command("web", [sys.executable, "-c", grandchild]), Command("worker", {SLEEP!r})],
            grace=5, started=started,
        ))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    proc = subprocess.Popen([PY, "-c", script], env=env)  # noqa: S603
    deadline = time.monotonic() + 20
    while not pids.exists() or not pids.read_text():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    time.sleep(0.5)  # the grandchild is started
    children = json.loads(pids.read_text())
    grandchildren = [
        int(p)
        for p in subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(children[0])], capture_output=True, text=True, check=False
        ).stdout.split()
    ]
    return proc, children + grandchildren


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_stops_every_child_and_grandchild(tmp_path: Path, signum: int, status: int) -> None:
    proc, pids = _supervisor(tmp_path)
    assert len(pids) == 3 and all(_alive(p) for p in pids)
    proc.send_signal(signum)
    assert proc.wait(timeout=15) == status
    assert _wait_gone(pids)


def test_serve_starts_the_worker_of_the_database_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    web, worker = serve.commands("127.0.0.1:8123", python="py")
    assert (
        web.argv[0] == "py"
        and web.argv[1].endswith("manage.py")
        and web.argv[2:] == ["runserver", "127.0.0.1:8123"]
    )
    assert worker.label == "worker" and worker.argv[2:] == ["db_worker"]
    assert [c.label for c in serve.commands("127.0.0.1:8123", worker=False)] == ["web"]


def test_serve_starts_no_worker_when_tasks_run_in_the_web_process(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert [c.label for c in serve.commands("127.0.0.1:8000")] == ["web"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    assert serve.worker_argv("py")[2:] == ["rqworker", "default"]  # type: ignore[index]


def test_the_makefile_runs_serve() -> None:
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    recipe = makefile.split("\nrun: ", 1)[1].split("\n\n", 1)[0]
    assert "manage.py serve" in recipe and "runserver" not in recipe
