"""Users, role grants and API tokens in the admin: superusers only, read-only. Users are created
and roles granted on wushe's own page (``accounts.views``), through ``accounts.services``."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import ApiToken, RoleGrant, User

_GRANT_FIELDS = ("role", "region", "organization", "granted_at", "granted_by")


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = _GRANT_FIELDS
    readonly_fields = _GRANT_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ScopedReadOnlyAdmin, BaseUserAdmin):
    # the stubs type a model admin's fieldsets as optional; Django's UserAdmin sets them
    fieldsets = (*BaseUserAdmin.fieldsets, (_("wushe"), {"fields": ("display_name",)}))  # type: ignore[misc]
    list_display = ["username", "display_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleGrantInline]


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedReadOnlyAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]


# django-otp's own admin pages would show a device's secret (its QR code) and edit devices beside
# the services: devices are enrolled and removed on wushe's two-factor pages only.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
