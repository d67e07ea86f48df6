"""The Django admin: a read-only tool for superusers, scoped like the rest of wushe.

Street administrators and every other role work in wushe's own pages (configuration included:
``core.config``). The admin is for the installation's operators (superusers) only:

- :class:`WusheAdminSite` answers 404 to every signed-in user who is not an active superuser, for
  every view it serves — the change lists, change, history, delete and autocomplete views of every
  model, and any view a library adds later through ``admin_site.admin_view`` — so no admin page
  can open a record across scope. Its login page is wushe's own (two-factor sign-in included).
- :class:`ScopedReadOnlyAdmin` and :class:`ScopedHistoryAdmin` are the bases of every domain
  model's admin: the queryset is ``visible_to(request.user)`` (one scoping mechanism), nothing
  can be added, changed or deleted (writes go through the services), encrypted fields are never
  shown, and the history pages show no encrypted value in clear and offer no revert
  (``SIMPLE_HISTORY_REVERT_DISABLED`` and the history form view removed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from simple_history.admin import SimpleHistoryAdmin

from .fields import EncryptedTextField
from .scoping import ScopedQuerySet

if TYPE_CHECKING:
    from .types import AnyUser

View = TypeVar("View", bound=Callable[..., Any])


def is_operator(user: AnyUser) -> bool:
    """Who may use the admin at all: an active superuser."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


class WusheAdminSite(admin.AdminSite):
    site_header = "wushe 五社联动服务平台 · 运维 / operations"
    site_title = "wushe admin"
    index_title = "运维（只读）/ Operations (read-only)"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            # A signed-in user who is not an operator gets the same 404 as a missing page: the
            # admin does not exist for them (Django would redirect to its own login instead).
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return cast(View, guarded)  # wraps(view): the same view, guarded

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """wushe's own login page (with its throttling and two-factor step), never the admin's."""
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise Http404
            return HttpResponseRedirect(resolve_url("admin:index"))
        target = request.GET.get("next") or resolve_url("admin:index")
        return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': target})}")


def encrypted_field_names(model: type[Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]


class _ReadOnly:
    """Nothing is added, changed or deleted in the admin; writes go through the services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ModelAdmin is generic only in the stubs (at run time it takes no type argument)
class ScopedReadOnlyAdmin(_ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """A domain model in the admin: its scoped rows, read-only, encrypted fields left out."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if isinstance(queryset, ScopedQuerySet):
            return queryset.visible_to(request.user)
        return queryset

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        declared = list(super().get_exclude(request, obj) or [])
        return declared + [name for name in encrypted_field_names(self.model) if name not in declared]


class ScopedHistoryAdmin(ScopedReadOnlyAdmin, SimpleHistoryAdmin):
    """As :class:`ScopedReadOnlyAdmin`, with the change history: only of a record in scope, with
    the encrypted fields left out of every diff, and no history form (nothing to revert to)."""

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.get_queryset(request).filter(pk=_pk_or_404(self.model, object_id)).exists():
            raise Http404  # missing, deleted or out of scope: the same answer
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        raise Http404  # a past version is read on the history page; reverting would bypass the services

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Sequence[Any], foreign_keys_are_objs: bool = True
    ) -> None:
        hidden = encrypted_field_names(self.model)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


def _pk_or_404(model: type[Model], object_id: str) -> Any:
    from django.contrib.admin.utils import unquote
    from django.core.exceptions import ValidationError

    try:
        return model._meta.pk.to_python(unquote(object_id))
    except (ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
