"""Organizations in the admin: read-only and scoped, like the registry (writes go through
``partners.services``)."""

from django.contrib import admin

from wushe.core.adminsite import ScopedHistoryAdmin

from .models import Organization, ResponsibilityUnit


@admin.register(Organization)
class OrganizationAdmin(ScopedHistoryAdmin):
    list_display = ["name", "kind", "region", "credit_code", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


@admin.register(ResponsibilityUnit)
class ResponsibilityUnitAdmin(ScopedHistoryAdmin):
    list_display = ["name", "kind", "region", "organization", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
