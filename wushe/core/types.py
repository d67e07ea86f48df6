"""How core names the user in annotations (core sits below accounts and never imports it).

``User`` is the project's user model, ``accounts.User``: django-stubs' mypy plugin resolves the
``_User`` alias of its stubs from ``AUTH_USER_MODEL``, so core's annotations name the real model
without an import of accounts (import-linter sees only ``django.contrib.auth``). ``AnyUser`` is
what ``request.user`` is: a ``User`` or the ``AnonymousUser``. Both exist for the type checker
only: import them under ``if TYPE_CHECKING:`` (with ``from __future__ import annotations``).
Apps above accounts import ``wushe.accounts.models.User`` itself (docs/architecture.md, "Types").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import _AnyUser as AnyUser
    from django.contrib.auth.models import _User as User

    __all__ = ["AnyUser", "User"]
