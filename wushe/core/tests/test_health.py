"""/healthz and the JSON request log (docs/deploy.md)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wushe.core import health
from wushe.core.requestlog import JsonLineFormatter

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login_and_with_nothing_personal() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["oldest_waiting_task_seconds"] is None and body["tasks"] == "ok"
    assert set(body) == {"status", "database", "oldest_waiting_task_seconds", "tasks", "checked_in_ms"}
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_healthz_reports_the_oldest_waiting_task() -> None:
    from wushe.imports.tasks import check_job  # any task: enqueued, no worker runs it

    check_job.enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    body = Client().get("/healthz").json()
    assert 590 <= body["oldest_waiting_task_seconds"] <= 700
    assert body["tasks"] == "waiting"  # older than WUSHE_HEALTH_TASK_WARN_SECONDS (300)


def test_healthz_is_503_when_the_database_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> float | None:
        raise DatabaseError("down")

    monkeypatch.setattr(health, "_oldest_waiting_task_seconds", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_refuses_writes() -> None:
    assert Client().post("/healthz").status_code == 405


def test_request_log_is_one_json_line_without_query_or_numbers(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("wushe.request")
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="wushe.request"):
            Client().get("/registry/persons/110101199003071234/?q=王小明")
    finally:
        logger.setLevel(old)
    records = [r for r in caplog.records if r.name == "wushe.request"]
    assert len(records) == 1
    line = JsonLineFormatter().format(records[0])
    assert "\n" not in line
    data = json.loads(line)
    assert data["method"] == "GET" and data["status"] in (302, 404)
    assert "110101199003071234" not in line and "王小明" not in line and "?" not in data["path"]
    assert data["ms"] >= 0 and data["user"] is None
