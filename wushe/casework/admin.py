"""Cases, groups and activities in the admin: read-only and scoped (writes go through the services)."""

from django.contrib import admin

from wushe.core.adminsite import ScopedHistoryAdmin

from .models import Activity, Case, Group


@admin.register(Case)
class CaseAdmin(ScopedHistoryAdmin):
    list_display = ["number", "stage", "region", "organization", "worker", "opened_on"]
    list_filter = ["stage"]
    search_fields = ["number"]
    list_select_related = ["region", "organization", "worker"]
    exclude = ["person"]


@admin.register(Group)
class GroupAdmin(ScopedHistoryAdmin):
    list_display = ["name", "region", "organization", "starts_on"]
    search_fields = ["name"]
    list_select_related = ["region", "organization"]
    exclude = ["members"]


@admin.register(Activity)
class ActivityAdmin(ScopedHistoryAdmin):
    list_display = ["title", "kind", "on", "region", "participants", "leaflets"]
    list_filter = ["kind", "organizer_kind"]
    search_fields = ["title"]
    list_select_related = ["region"]
