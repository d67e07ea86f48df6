"""Consents and sharings in the admin: read-only and scoped (written through the services)."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import Consent, Sharing


@admin.register(Consent)
class ConsentAdmin(ScopedReadOnlyAdmin):
    list_display = ["person", "basis", "kinds", "given_on", "withdrawn_on"]
    list_select_related = ["person"]
    exclude = ["scan"]


@admin.register(Sharing)
class SharingAdmin(ScopedReadOnlyAdmin):
    list_display = ["person", "organization", "purpose", "shared_at"]
    list_select_related = ["person", "organization"]
