"""Run a few long-lived processes together and stop them together (``manage.py serve``: the web
server beside the task worker).

Each child runs in its own process group, so a signal reaches it and whatever it started (the
development server's auto-reloader runs the server in a child of its own). The first child to
exit, or SIGINT / SIGTERM to this process (Ctrl-C in the terminal), stops them all: SIGINT to
each group, then SIGKILL after ``grace`` seconds for a group still running. The exit status is
the first child's (130 after Ctrl-C, as a shell reports it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Protocol

POLL_SECONDS = 0.2


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True)
class Command:
    """A child process: a label for its messages and its argument vector."""

    label: str
    argv: Sequence[str]


def _signal_group(proc: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signum)


def stop_all(procs: Sequence[subprocess.Popen[bytes]], *, grace: float) -> None:
    """SIGINT to every running child's group, SIGKILL to any still running after ``grace``."""
    for proc in procs:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGINT)
    deadline = time.monotonic() + grace
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
    for proc in procs:  # a grandchild left behind in a group whose leader exited
        _signal_group(proc, signal.SIGKILL)


def run_together(
    commands: Sequence[Command],
    *,
    grace: float = 10.0,
    out: Writer | None = None,
    env: dict[str, str] | None = None,
    started: Callable[[Sequence[subprocess.Popen[bytes]]], None] | None = None,
) -> int:
    """Start every command, wait until one exits or this process is asked to stop, stop the rest;
    the exit status of the first to exit (130 when interrupted, 143 when terminated)."""
    stop: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for command in commands:
            procs.append(subprocess.Popen(list(command.argv), start_new_session=True, env=env))  # noqa: S603
            if out is not None:
                out.write(f"[{command.label}] pid {procs[-1].pid}: {' '.join(command.argv)}\n")
        if started is not None:
            started(procs)
        status: int | None = None
        while status is None:
            if stop:
                status = 128 + stop[0]
                break
            for command, proc in zip(commands, procs, strict=True):
                code = proc.poll()
                if code is not None:
                    if out is not None:
                        out.write(f"[{command.label}] exited with status {code}: stopping the others\n")
                    status = code
                    break
            else:
                time.sleep(POLL_SECONDS)
        return status
    finally:
        stop_all(procs, grace=grace)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
