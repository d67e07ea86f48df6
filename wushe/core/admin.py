"""Regions and the access log in the admin: superusers only, read-only (regions are created
through ``core.services.region_create``; the access log is append-only)."""

from django.contrib import admin

from .adminsite import ScopedReadOnlyAdmin
from .models import AccessEvent, Region


@admin.register(Region)
class RegionAdmin(ScopedReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth"]
    raw_id_fields = ["parent"]


@admin.register(AccessEvent)
class AccessEventAdmin(ScopedReadOnlyAdmin):
    list_display = ["at", "username", "kind", "object_type", "object_id", "ip"]
    list_filter = ["kind"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"
