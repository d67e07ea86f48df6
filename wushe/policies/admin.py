"""政策找人 in the admin: read-only and scoped (the catalogue is kept on the settings pages)."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import PolicyApplication


@admin.register(PolicyApplication)
class PolicyApplicationAdmin(ScopedReadOnlyAdmin):
    list_display = ["applied_on", "policy", "benefit", "region", "revoked_at"]
    list_select_related = ["policy", "region"]
    exclude = ["person", "household"]
