"""Helpers the API tests share: a bearer-token client and the fields an error response names."""

from __future__ import annotations

from typing import Any

from django.test import Client

from wushe.accounts.services import api_token_issue


def api(user: Any) -> Client:
    """A test client sending ``Authorization: Bearer <a new token of user>``."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=user)}")


def fields_in(response: Any) -> set[str]:
    """The fields a 4xx JSON answer names: ``field`` for a refusal of the services, the last
    element of ``loc`` for a refusal of the schema (pydantic)."""
    return {str(d.get("field") or d["loc"][-1]) for d in response.json()["detail"]}
