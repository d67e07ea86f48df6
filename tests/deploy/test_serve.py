"""make serve: the production stack (deploy/serve.sh — gunicorn, WhiteNoise, db_worker,
DJANGO_DEBUG=0, PostgreSQL) starts, answers /healthz and a page, logs one JSON line per request,
and stops whole on Ctrl-C. Run by `make test-deploy` (marker ``deploy``), not by `make test`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.deploy
ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("WUSHE_DEPLOY_TEST_PG", "postgres://postgres@127.0.0.1:5432")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 — 127.0.0.1 only
        return response.status, response.read(), dict(response.headers)


@pytest.fixture
def database() -> str:
    name = f"wushe_serve_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG}/{name}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_make_serve_starts_the_production_stack_and_stops_it_whole(database: str, tmp_path: Path) -> None:
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=database, WUSHE_BIND=f"127.0.0.1:{port}", WUSHE_SERVE_SEED="0")
    env["PYTHON"] = sys.executable  # the venv running the tests; its gunicorn sits beside it
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(  # noqa: S603
        [str(ROOT / "deploy/serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # migrations and collectstatic on a fresh database
        while True:
            assert proc.poll() is None, Path(log.name).read_text()[-3000:]
            try:
                status, body, headers = _get(f"{base}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, Path(log.name).read_text()[-3000:]
                time.sleep(2)
        health = json.loads(body)
        assert status == 200 and health["status"] == "ok" and health["database"] == "ok"
        assert health["tasks"] == "ok"
        status, body, headers = _get(f"{base}/accounts/login/")
        assert status == 200 and "登录".encode() in body
        assert "DEBUG" not in body.decode() and headers.get("X-Frame-Options") == "DENY"
        status, _body, headers = _get(f"{base}/static/vendor/bootstrap/bootstrap.min.css")
        assert status == 200 and "max-age" in headers.get("Cache-Control", "")  # WhiteNoise
        try:
            _get(f"{base}/no-such-page/")
        except urllib.error.HTTPError as exc:  # DEBUG off: wushe's own 404, not Django's debug page
            assert exc.code == 404 and b"URLconf" not in exc.read()
        time.sleep(1)
        lines = [json.loads(x) for x in Path(log.name).read_text().splitlines() if x.startswith('{"time"')]
        assert {"/healthz", "/accounts/login/"} <= {x["path"] for x in lines}
        assert all({"method", "status", "ms"} <= set(x) for x in lines)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in the terminal
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    # the server and the worker stopped with it: nothing of the group is left
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)
