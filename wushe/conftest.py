"""The app tests share the fixtures of ``tests/conftest.py`` (region tree, users, persons)."""

from tests.conftest import _chinese_after_each_test, person_a, person_b, settings_fast, tree, users  # noqa: F401
