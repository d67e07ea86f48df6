"""Helpers the to-do providers' tests share (each app's ``tests/test_home.py``): one provider
evaluated for a user, and what the list behind its link shows to that user."""

from __future__ import annotations

from typing import Any

from django.test import Client

from wushe.core.todos import TODOS, TodoItem, evaluate


def todo(user: Any, key: str) -> TodoItem:
    """The to-do ``key`` for ``user`` (which it must apply to), counted as the home counts it."""
    provider = TODOS[key]
    assert provider.applies(user), (key, user)
    return evaluate(provider, user)


def applies(user: Any, key: str) -> bool:
    return TODOS[key].applies(user)


def listed(user: Any, item: TodoItem) -> int:
    """How many records the filtered list behind the to-do's link shows the user (its
    paginator's count): the home's count and the list must agree."""
    client = Client()
    client.force_login(user)
    response = client.get(item.url)
    assert response.status_code == 200, (item.url, response.status_code)
    return int(response.context["page_obj"].paginator.count)
