"""Shared fixtures — loaded for the whole suite by the root conftest.py (``pytest_plugins``), so the
app tests under wushe/ have them without importing the tests tree: a small region tree, users of
each role, and people in two communities.

滨城区 371602000000
  └ 市西街道 371602003000 (street)
      ├ 甲社区 371602003001 ── 网格 371602003001001
      └ 乙社区 371602003002 ── 网格 371602003002001
  └ 彭李街道 371602001000 (another street)
      └ 丙社区 371602001001
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from wushe.accounts.roles import Role
from wushe.core.models import Region, RegionLevel

from .factories import PersonFactory, RegionFactory, UserFactory

# The configuration the data migrations create (tags and ledger colours, need categories, care
# service types, the rental catalogue); each installer only adds what is missing.
MIGRATION_DEFAULTS = (
    ("wushe.registry.migrations.0002_default_tags_and_colours", "forwards"),
    ("wushe.needs.migrations.0004_default_categories", "add"),
    ("wushe.care.migrations.0002_default_service_types", "install"),
    ("wushe.rentals.migrations.0002_default_catalogue", "install"),
)


@pytest.fixture(scope="module")
def configuration_back(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """For a module of transactional tests (``django_db(transaction=True)``), which end by emptying
    every table: the migrations' configuration installed before the module (an earlier one may have
    emptied it) and again after it, so the tests the same worker runs next find it. Use it with
    ``pytest.mark.usefixtures("configuration_back")``."""
    from django.apps import apps

    def install() -> None:
        with django_db_blocker.unblock():
            for module, function in MIGRATION_DEFAULTS:
                getattr(importlib.import_module(module), function)(apps, None)

    install()
    yield
    install()


@dataclass
class Tree:
    county: Region
    street: Region
    community_a: Region
    grid_a: Region
    community_b: Region
    grid_b: Region
    other_street: Region
    community_c: Region


@pytest.fixture
def tree(db: Any) -> Tree:
    return make_tree()


def make_tree() -> Tree:
    """The tree above (for fixtures of a wider scope than a test, which cannot take ``tree``)."""
    county = RegionFactory(code="371602000000", name="滨城区", level=RegionLevel.COUNTY)
    street = RegionFactory(code="371602003000", name="市西街道", level=RegionLevel.STREET, parent=county)
    a = RegionFactory(code="371602003001", name="甲社区", level=RegionLevel.COMMUNITY, parent=street)
    ga = RegionFactory(code="371602003001001", name="甲社区第一网格", level=RegionLevel.GRID, parent=a)
    b = RegionFactory(code="371602003002", name="乙社区", level=RegionLevel.COMMUNITY, parent=street)
    gb = RegionFactory(code="371602003002001", name="乙社区第一网格", level=RegionLevel.GRID, parent=b)
    other = RegionFactory(code="371602001000", name="彭李街道", level=RegionLevel.STREET, parent=county)
    c = RegionFactory(code="371602001001", name="丙社区", level=RegionLevel.COMMUNITY, parent=other)
    return Tree(county, street, a, ga, b, gb, other, c)


@dataclass
class Users:
    admin: Any
    street_admin: Any
    worker_a: Any
    worker_b: Any
    leader: Any
    nobody: Any


@pytest.fixture
def users(tree: Tree) -> Users:
    return Users(
        admin=UserFactory(username="root", is_superuser=True),
        street_admin=UserFactory(username="street", role=Role.STREET_ADMIN, region=tree.street),
        worker_a=UserFactory(username="worker_a", role=Role.SOCIAL_WORKER, region=tree.community_a),
        worker_b=UserFactory(username="worker_b", role=Role.SOCIAL_WORKER, region=tree.community_b),
        leader=UserFactory(username="leader", role=Role.LEADER, region=tree.street),
        nobody=UserFactory(username="nobody"),
    )


@pytest.fixture
def person_a(tree: Tree) -> Any:
    """A person with a 精神 (red) certificate in 甲社区's grid."""
    return PersonFactory(name="祝长连", region=tree.grid_a, phone="13812345678", category=6, level=2)


@pytest.fixture
def person_b(tree: Tree) -> Any:
    """A person with a 肢体 (blue) certificate in 乙社区."""
    return PersonFactory(name="李四", region=tree.community_b, phone="13987654321", category=4, level=3)


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def settings_fast(settings: Any) -> Any:
    return settings


@pytest.fixture(autouse=True)
def _chinese_after_each_test() -> Any:
    """A test client request in English leaves English active in the thread (LocaleMiddleware
    activates the request's language); the next test starts in the default language again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
