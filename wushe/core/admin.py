from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessEvent, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth"]
    raw_id_fields = ["parent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # regions are created through core.services.region_create (codes are checked there)


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only."""

    list_display = ["at", "username", "kind", "object_type", "object_id", "ip"]
    list_filter = ["kind"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
