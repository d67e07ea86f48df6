"""Suite-wide test settings."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client, override_settings
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

# the shared fixtures (region tree, users, persons) of tests/fixtures.py, for the app tests under
# wushe/ too: loaded as a plugin here, so no module of the wushe package imports the tests tree
pytest_plugins = ["tests.fixtures"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Password hashing is not under test; PBKDF2's million rounds would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _exports_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The exports the tests make in the background (and the access matrix's) are written under a
    temporary directory, not the data directory."""
    with override_settings(WUSHE_EXPORT_ROOT=tmp_path_factory.mktemp("exports")):
        yield


@pytest.fixture(autouse=True)
def _client_login_passes_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Client.login`` calls ``authenticate()`` without a request, which django-axes refuses
    (AxesBackendRequestParameterRequired). Hand it an empty request, as axes documents, so tests
    can keep using ``client.login(username=..., password=...)`` with throttling switched on.
    ``force_login`` needs nothing."""
    original = Client.login

    def login(self: Client, **credentials: Any) -> bool:
        credentials.setdefault("request", HttpRequest())
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login)


# ---- order: the demo tests first, together --------------------------------------------------


@pytest.hookimpl(trylast=True)  # after pytest-randomly has shuffled
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests marked ``demo`` read one seeded copy of the demo streets (wushe/demo/tests/
    conftest.py); they run first and one after another, so the seed is made once and the other
    tests never see it. Under xdist ``--dist loadgroup`` their ``xdist_group`` keeps them on one
    worker, started first while the other worker runs the rest."""
    demo = [item for item in items if item.get_closest_marker("demo")]
    if demo:
        rest = [item for item in items if not item.get_closest_marker("demo")]
        items[:] = demo + rest


class _DemoTogether:
    """Under xdist the demo tests share one worker, so the demo streets are seeded once per run.

    pytest-xdist 3.8's ``--dist loadgroup`` marks a group by rewriting the test's node id, which
    pytest 9 no longer reads, so its groups are silently ignored. This scheduler is xdist's
    scope scheduler with a scope per test — each test is sent on its own, like ``load`` — except
    the demo tests, whose one scope goes to one worker, in the order collected (first).
    Registered only where xdist runs (``pytest_configure``)."""

    @staticmethod
    def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
        from xdist.scheduler import LoadScopeScheduling

        class DemoTogether(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                if nodeid.startswith(DEMO_TESTS):
                    return "demo"
                matrix = MATRIX_BY_ROLE.match(nodeid)
                if matrix:  # a role's world is built once per worker: its tests go together
                    return f"matrix-{matrix.group(1) or 'anonymous'}"
                return nodeid

        return DemoTogether(config, log)


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist") and getattr(config.option, "numprocesses", None):
        config.pluginmanager.register(_DemoTogether(), "wushe-demo-together")


DEMO_TESTS = ("wushe/demo/tests/",)
# the access matrix's tests by role (tests/test_access_matrix.py builds each role's world once)
MATRIX_BY_ROLE = re.compile(
    r"tests/test_access_matrix_(?:roles\.py::test_(?:pages|api)_by_role\[.*-(\w+)\]|anonymous\.py::.*)$"
)


# ---- a transactional test leaves the migrations' data behind it ---------------------------

# The configuration the data migrations create; a transactional test ends by emptying every table.
MIGRATION_DATA = (
    ("wushe.registry.migrations.0002_default_tags_and_colours", "forwards"),  # tags, ledger colours
    ("wushe.needs.migrations.0004_default_categories", "add"),  # need categories
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """After a ``django_db(transaction=True)`` test has flushed the database, put back what the
    data migrations made, so that whichever test runs next (in any order) finds its tags,
    colours and need categories. After the run's last test there is nothing to put back for (and
    the test database is already gone)."""
    result = yield
    marker = item.get_closest_marker("django_db")
    if nextitem is not None and marker is not None and validate_django_db(marker)[0]:
        import importlib

        from django.apps import apps

        with item.config.stash[blocking_manager_key].unblock():
            for module, function in MIGRATION_DATA:
                getattr(importlib.import_module(module), function)(apps, None)
    return result


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """The suite runs in a random order (pytest-randomly); ``-q`` hides its header, so say the
    seed at the end, where a failure is read."""
    if config.pluginmanager.hasplugin("randomly") and not hasattr(config, "workerinput"):
        seed = config.getoption("randomly_seed", None)
        if seed is not None:
            terminalreporter.write_line(f"random order: repeat it with -p randomly --randomly-seed={seed}")
