"""RejectNulMiddleware's depth check (issue 14 item 7): a deeply nested JSON body answered 500
(RecursionError in json.loads, in the middleware and in django-ninja)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import login
from wushe.core.middleware import JSON_MAX_DEPTH, json_depth_exceeds

DEEP = b"[" * 100_000 + b"]" * 100_000


def test_depth_counted_without_recursion() -> None:
    assert json_depth_exceeds(DEEP)
    assert json_depth_exceeds(b'{"a":' * 200_000)  # unbalanced, still refused
    assert not json_depth_exceeds(b"[" * JSON_MAX_DEPTH + b"]" * JSON_MAX_DEPTH)
    assert json_depth_exceeds(b"[" * (JSON_MAX_DEPTH + 1) + b"]" * (JSON_MAX_DEPTH + 1))
    # brackets inside strings (with escaped quotes) do not count
    assert not json_depth_exceeds(b'{"q": "' + b"[" * 1000 + b'\\"' + b"{" * 1000 + b'"}')
    assert not json_depth_exceeds(b"[" + b"[1]," * 10_000 + b"[1]]")  # wide, not deep


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/api/v1/persons/search", "/no/such/", "/api/v1/x"]
)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_deep_json_anonymous_any_path(path: str, content_type: str) -> None:
    response = Client().post(path, DEEP, content_type=content_type)
    if path.startswith("/api/"):
        assert response.status_code == 422
        detail = response.json()["detail"][0]
        assert detail["loc"] == ["body"] and "JSON" in detail["msg"] and "64" in detail["msg"]
    else:
        assert response.status_code == 400
        assert "嵌套" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_deep_json_signed_in_api(users: Any, method: str) -> None:
    client = login(users.worker_a)
    response = getattr(client, method)("/api/v1/persons/search", DEEP, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.django_db
def test_shallow_json_still_reaches_the_api(users: Any) -> None:
    response = login(users.worker_a).post(
        "/api/v1/persons/search", {"q": "祝"}, content_type="application/json"
    )
    assert response.status_code == 200
