"""Serve wushe for the browser tests and the screenshots.

A fresh SQLite database (and key file) in a directory of its own, the demo streets loaded with
``seed_demo``, and the real app started with ``manage.py runserver`` in a subprocess on a free
port of 127.0.0.1 with ``DJANGO_DEBUG=1`` (so the static files come from ``assets/``).

Chromium is Debian's (``apt-get install chromium``): the playwright package is only the driver,
its own browser download does not work on these machines.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess  # noqa: S404 — runs manage.py and make from this repository only
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("WUSHE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DEMO_PASSWORD = "wushe-demo"  # the documented password of the demo logins (seed_demo)
# What a browser context looks like: a Chinese browser in China on a laptop screen.
CONTEXT_OPTIONS: dict[str, Any] = {
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    "viewport": {"width": 1280, "height": 900},
    "accept_downloads": True,
}
PHONE_VIEWPORT = {"width": 390, "height": 844}


@dataclass
class App:
    url: str
    data_dir: Path
    env: dict[str, str]
    log: Path


def app_env(data_dir: Path) -> dict[str, str]:
    """The environment of the served app: SQLite and keys in ``data_dir``, debug on."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "WUSHE_FIELD_KEY", "WUSHE_HASH_KEY", "DJANGO_SECRET_KEY"):
        env.pop(name, None)
    env.update(
        {
            "WUSHE_DATA_DIR": str(data_dir),
            "DJANGO_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "wushe.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def ensure_assets() -> None:
    """Bootstrap and ECharts come from npm at set-up (``make assets``); fetch them if missing."""
    if not (ROOT / "assets" / "vendor" / ".done").exists():
        subprocess.run(["make", "assets"], cwd=ROOT, check=True)  # noqa: S603, S607


def _manage(env: dict[str, str], log: Path, *args: str) -> None:
    with log.open("a") as out:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def prepare_database(env: dict[str, str], log: Path) -> None:
    _manage(env, log, "migrate", "--no-input", "-v", "0")
    _manage(env, log, "seed_demo")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{_tail(log)}")


@contextlib.contextmanager
def serve(data_dir: Path) -> Iterator[App]:
    """Run ``manage.py runserver`` on a free port of 127.0.0.1 until the block ends."""
    env = app_env(data_dir)
    log = data_dir / "server.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, proc, log)
        yield App(url=url, data_dir=data_dir, env=env, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def demo_app(data_dir: Path | None = None) -> Iterator[App]:
    """A fresh database with the demo streets, served until the block ends."""
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wushe-browser-")))
        data_dir.mkdir(parents=True, exist_ok=True)
        ensure_assets()
        prepare_database(app_env(data_dir), data_dir / "server.log")
        yield stack.enter_context(serve(data_dir))


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, without the network chatter of a first run."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def log_in(page: Any, app: App, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form, as a person does."""
    page.goto(f"{app.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
