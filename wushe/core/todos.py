"""The to-do registry: what the home page lists as the user's work today.

Each app registers its to-do providers in its own ``home.py`` (found at start-up, like the
metrics and the settings sections); core imports no app. A provider is a scoped selector — a
function ``(user) -> QuerySet`` in the app's ``selectors.py``, starting from ``visible_to(user)``
— with what the home needs to show it:

    register(Todo(
        key="needs.overdue",
        label=_("逾期未办结的需求"),
        records=selectors.needs_overdue_for,      # (user) -> the records, scoped and ordered
        url=lambda user: reverse("needs:need_list") + "?mine=on&overdue=on",
        applies=lambda user: user.has_perm(READ_NEEDS),
        describe=lambda need: f"{need.category.name}：{need.description}",
        link=lambda need: reverse("needs:need_detail", args=[need.pk]),
        tone=Tone.OVERDUE,
    ))

- ``url`` is the filtered list page showing exactly these records (the same selector and
  filters), so the count on the home and the list behind its link agree;
- ``applies`` says whose work it is (a capability, a role held, an organization grant): the home
  evaluates only the providers that apply to the user, each in **two queries** — a count that
  stops at ``COUNT_CAP`` + 1 records (shown as "999+" beyond), and the first few records —, never
  a query per record. (One query with a window count over every
  matching record took 2.3 s for a street of a million people after a big import: the count had
  to read them all; a count that stops early does not.);
- ``describe`` and ``link`` name one record and lead to its page; they must need no further
  query (load what they read with ``select_related`` or an annotation in the selector), and a
  provider's queryset must not be ``distinct()`` (its rows are what the count counts).

The home (``reports.views.home``) shows the providers with work, each with its count, its first
records and the link to its list, and names those that apply with nothing waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise

from .scoping import granted_organization_ids, granted_paths

FIRST = 3  # records shown under each to-do
COUNT_CAP = 999  # a to-do's count stops here: "999+" (the list behind it counts them all)
_ROLES_ATTR = "_wushe_todo_roles"


class Tone:
    """How urgent a to-do looks: past its deadline, due soon, or waiting for the user."""

    OVERDUE = "overdue"
    DUE = "due"
    WAITING = "waiting"
    NEWS = "news"  # something happened the user should look at (an import finished)


@dataclass(frozen=True)
class Todo:
    key: str
    label: str | Promise
    records: Callable[[Any], QuerySet[Any]]
    url: Callable[[Any], str]
    applies: Callable[[Any], bool]
    describe: Callable[[Any], str] = str
    link: Callable[[Any], str] | None = None
    tone: str = Tone.WAITING
    order: int = 100
    hint: str | Promise = ""  # one line under the label: what "due" means here


TODOS: dict[str, Todo] = {}


def register(todo: Todo) -> Todo:
    TODOS[todo.key] = todo
    return todo


def register_listed(
    key: str,
    label: str | Promise,
    *,
    records: Callable[[Any], QuerySet[Any]],
    applies: Callable[[Any], bool],
    list_url: str,
    query: str | Callable[[Any], str],
    detail_url: str,
    describe: Callable[[Any], str],
    **options: Any,
) -> Todo:
    """A to-do whose records a list page shows with ``?query`` (``list_url``, a URL name; the
    query may depend on the user) and each of which has its page (``detail_url``, taking the
    record's pk). An app binds its list once (``functools.partial``) and declares its to-dos
    with what differs."""

    def url(user: Any) -> str:
        params = query(user) if callable(query) else query
        return f"{reverse(list_url)}?{params}" if params else reverse(list_url)

    return register(
        Todo(
            key=key,
            label=label,
            records=records,
            url=url,
            applies=applies,
            describe=describe,
            link=lambda record: reverse(detail_url, args=[record.pk]),
            **options,
        )
    )


@dataclass
class TodoEntry:
    label: str
    url: str


@dataclass
class TodoItem:
    todo: Todo
    count: int
    url: str
    first: list[TodoEntry] = field(default_factory=list)
    more: bool = False  # more than ``count`` (= COUNT_CAP) records wait: shown as "999+"

    @property
    def more_mark(self) -> str:
        return "+" if self.more else ""

    @property
    def key(self) -> str:
        return self.todo.key


def applying(user: Any) -> list[Todo]:
    """The providers that apply to the user, in order."""
    found = [t for t in TODOS.values() if t.applies(user)]
    return sorted(found, key=lambda t: (t.order, t.key))


def evaluate(todo: Todo, user: Any, *, first: int = FIRST) -> TodoItem:
    """One provider for one user, in two queries: the count (stopped past ``COUNT_CAP``) and the
    first records."""
    records = todo.records(user)
    count = records.order_by()[: COUNT_CAP + 1].count()
    rows = list(records[:first]) if first else []  # asked even for none: a home costs the same each day
    entries = [TodoEntry(todo.describe(r), todo.link(r) if todo.link else "") for r in rows]
    return TodoItem(
        todo=todo, count=min(count, COUNT_CAP), url=todo.url(user), first=entries, more=count > COUNT_CAP
    )


def todos_for(user: Any, *, first: int = FIRST) -> list[TodoItem]:
    """Every to-do that applies to the user, counted (one query each), in order."""
    return [evaluate(t, user, first=first) for t in applying(user)]


# ---- what ``applies`` reads: the user's roles and grants ------------------------------------


def roles_of(user: Any) -> frozenset[str]:
    """The roles the user holds (any grant), read once per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        RoleGrant = apps.get_model("accounts", "RoleGrant")
        cached = frozenset(RoleGrant.objects.filter(user_id=user.pk).values_list("role", flat=True))
        setattr(user, _ROLES_ATTR, cached)
    return cached


def holds(user: Any, *roles: str) -> bool:
    """The user holds one of ``roles`` (a superuser holds them all)."""
    if getattr(user, "is_superuser", False):
        return bool(getattr(user, "is_active", False))
    return bool(roles_of(user) & set(roles))


def sees_regions(user: Any) -> bool:
    """A region grant opens records to the user (or a superuser: all of them)."""
    paths = granted_paths(user)
    return paths is None or bool(paths)


def has_organization(user: Any) -> bool:
    """The user is granted on an organization (its staff, a team's leader, a studio)."""
    return bool(granted_organization_ids(user))
