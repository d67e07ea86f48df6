"""Authentication backend: Django's model backend plus the permissions of the user's roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .roles import ROLE_PERMISSIONS

_CACHE_ATTR = "_wushe_role_perms"


class RoleBackend(ModelBackend):
    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        perms = set(super().get_group_permissions(user_obj, obj))
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return perms
        cached = getattr(user_obj, _CACHE_ATTR, None)
        if cached is None:
            roles = user_obj.grants.values_list("role", flat=True).distinct()
            cached = set().union(*(ROLE_PERMISSIONS.get(r, frozenset()) for r in roles))
            setattr(user_obj, _CACHE_ATTR, cached)
        return perms | cached
