"""The fixtures live in tests/fixtures.py (a plugin of the root conftest.py, for wushe/ too);
``login`` stays importable from here for the tests that import it."""

from tests.fixtures import login

__all__ = ["login"]
