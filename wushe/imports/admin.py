"""Import jobs in the admin: superusers only, read-only and scoped (imports run through the pages
and the command)."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ScopedReadOnlyAdmin):
    list_display = [
        "id",
        "original_name",
        "region",
        "status",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "created_at",
    ]
    list_filter = ["status"]
    exclude = ["file", "samples"]
