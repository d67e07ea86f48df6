"""GET /api/v1/imports and /api/v1/imports/{id}: scoped, counted, bounded queries."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from wushe.accounts.services import api_token_issue
from wushe.imports import engine
from wushe.imports.services import job_create

from .ledgers import ident

pytestmark = pytest.mark.django_db


def _job(region: Any, user: Any, n: int) -> Any:
    body = f"姓名,身份证号,所属社区\n居民{n},{ident(500 + n)},甲社区\n无号,,甲社区\n".encode()
    return job_create(acting_user=user, region=region, fileobj=io.BytesIO(body), name=f"台账{n}.csv")


def test_list_and_status(tree: Any, users: Any, django_assert_num_queries: Any) -> None:
    done = _job(tree.street, users.street_admin, 1)
    engine.commit(done)
    waiting = _job(tree.street, users.street_admin, 2)
    elsewhere = _job(tree.other_street, None, 3)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=users.worker_a)}")
    body = client.get("/api/v1/imports").json()
    assert body["items"] == []  # 甲社区's worker sees no job made for the whole street
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=users.street_admin)}")
    # token (+ its last use), permissions (2), roles, scope, count, one page with its regions:
    # the same for any number of jobs
    with django_assert_num_queries(8):
        body = client.get("/api/v1/imports").json()
    assert [j["id"] for j in body["items"]] == [waiting.pk, done.pk] and body["count"] == 2
    first = client.get(f"/api/v1/imports/{done.pk}").json()
    assert first["status"] == "done" and first["progress_percent"] == 100
    assert first["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert first["region"] == "371602003000" and first["file_name"] == "台账1.csv"
    assert client.get(f"/api/v1/imports/{elsewhere.pk}").status_code == 404
    leader = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=users.leader)}")
    assert leader.get("/api/v1/imports").status_code == 403  # may not register persons
    assert Client().get("/api/v1/imports").status_code == 401
