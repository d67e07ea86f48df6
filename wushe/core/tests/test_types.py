"""The users of the services and selectors are typed (mypy checks the rest: ``make typecheck``).

mypy accepts an explicit ``Any``; this test does not, for the two arguments every write and every
scoped read take: a service's ``acting_user`` is a ``User`` (``User | None``: ``None`` is the
system) and a selector's ``user`` is the viewer (``AnyUser``: a ``User`` or the anonymous user).
A new app's services and selectors are found without a new entry."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps

ACTING_USER = {"User", "User | None"}
VIEWER = {"AnyUser", "AnyUser | None", "User", "User | None"}


def _modules(name: str) -> Iterator[ModuleType]:
    """``<app>.services`` / ``<app>.selectors`` of every wushe app, a package's modules included."""
    for config in apps.get_app_configs():
        if not config.name.startswith("wushe."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
            continue
        yield module
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            yield importlib.import_module(f"{module.__name__}.{info.name}")


def _annotations(modules: Iterator[ModuleType], argument: str) -> dict[str, str]:
    """``module.function`` → the annotation (as written) of its ``argument``, for every function
    defined in ``modules`` that takes one."""
    found = {}
    for module in modules:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__:
                continue  # imported from elsewhere: checked where it is defined
            parameter = inspect.signature(fn, eval_str=False).parameters.get(argument)
            if parameter is not None:
                annotation = parameter.annotation
                found[f"{module.__name__}.{name}"] = (
                    "" if annotation is inspect.Parameter.empty else str(annotation)
                )
    return found


def test_every_service_types_its_acting_user_as_a_user() -> None:
    found = _annotations(_modules("services"), "acting_user")
    assert len(found) > 50  # the services were found
    untyped = {name: annotation for name, annotation in found.items() if annotation not in ACTING_USER}
    assert untyped == {}


def test_every_selector_types_its_viewer() -> None:
    found = _annotations(_modules("selectors"), "user")
    assert len(found) > 30
    untyped = {name: annotation for name, annotation in found.items() if annotation not in VIEWER}
    assert untyped == {}


def test_an_untyped_acting_user_is_reported() -> None:
    module = ModuleType("wushe.scratch.services")
    source = (
        "from __future__ import annotations\n"
        "from typing import Any\n"
        "def typed(*, acting_user: User | None) -> None: ...\n"
        "def loose(*, acting_user: Any) -> None: ...\n"
        "def bare(*, acting_user) -> None: ...\n"
    )
    exec(compile(source, "scratch", "exec"), module.__dict__)  # noqa: S102 — the test's own source
    for fn in module.__dict__.values():
        if inspect.isfunction(fn):
            fn.__module__ = module.__name__
    found = _annotations(iter([module]), "acting_user")
    assert {name for name, annotation in found.items() if annotation not in ACTING_USER} == {
        "wushe.scratch.services.loose",
        "wushe.scratch.services.bare",
    }
