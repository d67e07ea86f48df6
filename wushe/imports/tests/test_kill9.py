"""A real ``kill -9``: ``manage.py import_ledger`` killed with SIGKILL in the middle of its commit,
then run again, ends with exactly the registry of a run that was never interrupted.

Each run gets a database of its own, outside the test database: a SQLite file in a temporary
directory, or, when the suite runs on PostgreSQL (``DATABASE_URL=postgres://…``), two scratch
databases next to it, dropped afterwards. The killed run uses two checking workers and defers
the registry's secondary indexes (as a first load of a big ledger does), so the test also proves
that a resumed job rebuilds the indexes the killed one dropped.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .ledgers import cert, ident, write_csv

ROOT = Path(__file__).resolve().parents[3]
ROWS = 6000
BATCH = 100
HEADER = [
    "序号",
    "姓名",
    "公民身份号码",
    "联系电话",
    "所属社区",
    "网格",
    "残疾人证号",
    "残疾类别",
    "残疾等级",
]
SEED = """
from wushe.core.models import RegionLevel
from wushe.core.services import region_get_or_create
county = region_get_or_create(acting_user=None, code="371602000000", name="滨城区", level=RegionLevel.COUNTY)
street = region_get_or_create(acting_user=None, code="371602003000", name="市西街道", level=RegionLevel.STREET, parent=county)
for n, name in ((1, "甲社区"), (2, "乙社区")):
    c = region_get_or_create(acting_user=None, code=f"37160200300{n}", name=name, level=RegionLevel.COMMUNITY, parent=street)
    region_get_or_create(acting_user=None, code=f"{c.code}001", name=f"{name}第一网格", level=RegionLevel.GRID, parent=c)
"""


def _ledger(path: Path) -> Path:
    rows: list[list[Any]] = []
    for n in range(ROWS):
        number = ident(10_000 + n)
        row = [n + 1, f"居民{n}", number, f"138{n:08d}", "甲社区" if n % 2 else "乙社区", "第一网格"]
        row += [cert(number, 1 + n % 7, 1 + n % 4), "", ""]
        if n % 97 == 5:
            row[2] = number[:17] + ("0" if number[17] != "0" else "1")  # wrong check character
            row[6] = ""
        if n % 89 == 7 and n > 100:
            row = [n + 1, *rows[n - 50][1:]]  # the same person again, identical: merged
        rows.append(row)
    return write_csv(path, rows, header=HEADER, encoding="utf-8")


class Database:
    """A scratch database for one subprocess run: its URL, and plain queries into it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite:///"):
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url) as pg:
            return pg.execute(sql).fetchall()

    def indexes(self) -> list[str]:
        if self.url.startswith("sqlite:///"):
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'registry_%'"
        else:
            sql = "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'registry_%'"
        return sorted(r[0] for r in self.query(sql))


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield (
            Database(f"sqlite:///{tmp_path / 'killed.sqlite3'}"),
            Database(f"sqlite:///{tmp_path / 'whole.sqlite3'}"),
        )
        return
    import psycopg

    base, _sep, name = url.rpartition("/")
    names = [f"{name}_kill9_{os.getpid()}_{which}" for which in ("killed", "whole")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for db in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{db}"')
    try:
        yield Database(f"{base}/{names[0]}"), Database(f"{base}/{names[1]}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for db in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _env(db: Database, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db.url,
        "WUSHE_DATA_DIR": str(tmp_path / "var"),  # one key file for both runs: same hashes
        "DJANGO_SETTINGS_MODULE": "wushe.settings",
        "WUSHE_IMPORT_WORKERS": "2",
        "WUSHE_IMPORT_DEFER_INDEXES_MIN_ROWS": "1000",
        "PYTHONPATH": str(ROOT),
    }


def _manage(db: Database, tmp_path: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(db, tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _prepare(db: Database, tmp_path: Path) -> None:
    _manage(db, tmp_path, "migrate", "--verbosity", "0")
    _manage(db, tmp_path, "shell", "-c", SEED)


def _import(db: Database, tmp_path: Path, ledger: Path) -> dict[str, int]:
    out = _manage(
        db,
        tmp_path,
        "import_ledger",
        str(ledger),
        "--region",
        "市西街道",
        "--json",
        "--batch-size",
        str(BATCH),
    )
    return json.loads(out.strip().splitlines()[-1])


def _registry(db: Database) -> dict[str, Any]:
    """The registry's content, by ID hash (row ids and timestamps differ between databases)."""
    persons = db.query(
        "SELECT p.id_hash, p.name, p.name_pinyin, p.id_masked, p.birth_date, p.sex, p.phone_hash, "
        "p.phone_masked, p.address, p.status, r.code FROM registry_person p "
        "JOIN core_region r ON r.id = p.region_id ORDER BY p.id_hash"
    )
    certificates = db.query(
        "SELECT p.id_hash, c.category, c.level, c.valid_to IS NULL FROM registry_disabilitycertificate c "
        "JOIN registry_person p ON p.id = c.person_id ORDER BY p.id_hash, c.id"
    )
    keys = db.query(
        "SELECT p.id_hash, k.key FROM registry_personsearchkey k "
        "JOIN registry_person p ON p.id = k.person_id ORDER BY p.id_hash, k.key"
    )
    history = db.query(
        "SELECT id_hash, history_type, count(*) FROM registry_historicalperson GROUP BY id_hash, history_type "
        "ORDER BY id_hash, history_type"
    )
    certificate_history = db.query(
        "SELECT count(*), count(DISTINCT id) FROM registry_historicaldisabilitycertificate"
    )
    rows = db.query(
        "SELECT row_number, outcome, message FROM imports_importrow WHERE phase = 'commit' ORDER BY row_number"
    )
    return {
        "persons": [tuple(str(v) for v in p) for p in persons],
        "certificates": [tuple(str(v) for v in c) for c in certificates],
        "keys": keys,
        "history": history,
        "certificate_history": certificate_history,
        "rows": rows,
    }


@pytest.mark.slow
def test_kill_9_mid_commit_then_resume_equals_an_uninterrupted_run(
    databases: tuple[Database, Database], tmp_path: Path
) -> None:
    killed, whole = databases
    ledger = _ledger(tmp_path / "台账.csv")
    for db in (killed, whole):
        _prepare(db, tmp_path)
    expected = _import(whole, tmp_path, ledger)
    assert expected["created"] > ROWS * 0.9 and expected["rejected"] > 0 and expected["unchanged"] > 0

    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "import_ledger",
            str(ledger),
            "--region",
            "市西街道",
            "--batch-size",
            str(BATCH),
        ],
        cwd=ROOT,
        env=_env(killed, tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its checking workers too: the whole command dies at once
    )
    deadline = time.monotonic() + 300
    mark = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            found = killed.query("SELECT committed_through FROM imports_importjob")
        except Exception:  # noqa: BLE001 — busy or not written yet: look again
            found = []
        if found and found[0][0] >= 3 * BATCH:  # some batches are in, most are still to come
            mark = found[0][0]
            break
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert mark, "the import ended before it could be killed"
    job = killed.query(
        "SELECT status, committed_through, total_rows, rows_done, created FROM imports_importjob"
    )
    status, through, total, done, created = job[0]
    assert status == "running" and 0 < through < ROWS  # killed mid-run: no finish was recorded
    assert killed.query("SELECT count(*) FROM registry_person")[0][0] == created  # whole batches only
    if killed.url.startswith("sqlite:///"):
        assert killed.indexes() != whole.indexes()  # the killed load had dropped them

    assert _import(killed, tmp_path, ledger) == expected  # resumed after the mark
    assert killed.query("SELECT count(*), min(status) FROM imports_importjob") == [(1, "done")]
    assert _registry(killed) == _registry(whole)
    assert killed.indexes() == whole.indexes()  # every deferred index rebuilt
