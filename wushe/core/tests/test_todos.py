"""The to-do registry (core.todos): what applies, one query per provider whatever its size, the
first records named and linked, the apps' providers registered at start-up."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wushe.accounts.roles import Role
from wushe.core import todos
from wushe.core.models import Region
from wushe.core.scoping import granted_paths
from wushe.core.todos import TODOS, Todo, applying, evaluate, holds, roles_of, todos_for

pytestmark = pytest.mark.django_db


def _regions(user: Any) -> Any:
    return Region.objects.visible_to(user).order_by("code")


@pytest.fixture
def registry(monkeypatch: Any) -> dict[str, Todo]:
    """An empty registry for the test (the apps' providers put back afterwards)."""
    fresh: dict[str, Todo] = {}
    monkeypatch.setattr(todos, "TODOS", fresh)
    return fresh


def _todo(key: str, **kw: Any) -> Todo:
    defaults: dict[str, Any] = {
        "label": key,
        "records": _regions,
        "url": lambda user: "/",
        "applies": lambda user: True,
        "describe": lambda r: r.name,
        "link": lambda r: f"/r/{r.code}/",
    }
    return Todo(key=key, **{**defaults, **kw})


def test_a_provider_is_counted_with_its_first_records_in_two_queries(tree: Any, users: Any) -> None:
    provider = _todo("regions")
    granted_paths(users.street_admin)  # the grants, read once for the whole page
    with CaptureQueriesContext(connection) as ctx:
        item = evaluate(provider, users.street_admin, first=2)
    # the street admin's scope: 市西街道, 甲社区 and its grid, 乙社区 and its grid
    assert (item.count, item.more) == (5, False)
    assert [e.label for e in item.first] == ["市西街道", "甲社区"]
    assert [e.url for e in item.first] == ["/r/371602003000/", "/r/371602003001/"]
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]


def test_a_count_stops_past_the_cap_and_says_there_are_more(
    tree: Any, users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count that stops early: a street after a big import must not count a million rows for
    its home page (the list behind the to-do counts them all)."""
    monkeypatch.setattr(todos, "COUNT_CAP", 3)
    granted_paths(users.street_admin)
    with CaptureQueriesContext(connection) as ctx:
        item = evaluate(_todo("regions"), users.street_admin, first=2)
    assert (item.count, item.more, item.more_mark) == (3, True, "+")
    assert "LIMIT 4" in ctx.captured_queries[0]["sql"]
    assert [e.label for e in item.first] == ["市西街道", "甲社区"]
    monkeypatch.setattr(todos, "COUNT_CAP", 5)
    item = evaluate(_todo("regions"), users.street_admin, first=2)
    assert (item.count, item.more, item.more_mark) == (5, False, "")


def test_nothing_to_do_is_a_count_of_zero(users: Any) -> None:
    with CaptureQueriesContext(connection) as ctx:
        item = evaluate(_todo("regions"), users.nobody)
    assert (item.count, item.first, item.more) == (0, [], False)
    assert len(ctx.captured_queries) <= 2  # an empty scope may answer without asking


def test_only_the_providers_that_apply_are_evaluated_in_order(
    registry: dict[str, Todo], tree: Any, users: Any
) -> None:
    asked: list[str] = []

    def records(user: Any) -> Any:
        asked.append("street")
        return _regions(user)

    todos.register(_todo("b.later", order=20))
    todos.register(
        _todo("a.street", order=10, records=records, applies=lambda u: holds(u, Role.STREET_ADMIN))
    )
    todos.register(_todo("c.never", applies=lambda u: False))
    assert [t.key for t in applying(users.street_admin)] == ["a.street", "b.later"]
    assert [i.key for i in todos_for(users.worker_a)] == ["b.later"]
    assert asked == []  # the worker's home never ran the street's query
    items = todos_for(users.street_admin)
    assert [(i.key, i.count) for i in items] == [("a.street", 5), ("b.later", 5)]
    assert asked == ["street"]


def test_roles_are_read_once_and_a_superuser_holds_them_all(tree: Any, users: Any) -> None:
    leader = users.leader
    with CaptureQueriesContext(connection) as ctx:
        assert roles_of(leader) == {Role.LEADER}
        assert holds(leader, Role.LEADER, Role.STREET_ADMIN)
        assert not holds(leader, Role.STREET_ADMIN)
    assert len(ctx.captured_queries) == 1
    assert holds(users.admin, Role.TEAM_LEADER)
    assert not holds(users.nobody, Role.LEADER)


def test_the_apps_register_their_providers_at_start_up() -> None:
    assert {
        "needs.overdue",
        "needs.due_soon",
        "needs.referrals",
        "casework.due",
        "casework.follow_up",
        "visits.not_visited",
        "appeals.waiting",
        "appeals.waiting_overdue",
        "appeals.overdue",
        "volunteers.to_verify",
        "imports.recent",
        "registry.changes",
        "partners.resources",
    } <= set(TODOS)
    for todo in TODOS.values():
        assert str(todo.label) and todo.key.count(".") == 1, todo.key
