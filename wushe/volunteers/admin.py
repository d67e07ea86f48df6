"""Teams, volunteers, their records (hours; training, awards and evaluations) and proofs in the
admin: read-only and scoped."""

from django.contrib import admin

from wushe.core.adminsite import ScopedHistoryAdmin, ScopedReadOnlyAdmin

from .models import Proof, ServiceRecord, Team, Volunteer, VolunteerEntry


@admin.register(Team)
class TeamAdmin(ScopedHistoryAdmin):
    list_display = ["code", "organization", "region", "leader_name"]
    search_fields = ["code", "organization__name"]
    list_select_related = ["organization", "region"]


@admin.register(Volunteer)
class VolunteerAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "name", "team", "joined_on", "active"]
    search_fields = ["number", "name"]
    list_select_related = ["team__organization"]
    exclude = ["person"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedReadOnlyAdmin):
    list_display = ["volunteer", "on", "hours", "kind", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["volunteer"]


@admin.register(Proof)
class ProofAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "volunteer", "hours", "issued_on"]
    list_select_related = ["volunteer"]


@admin.register(VolunteerEntry)
class VolunteerEntryAdmin(ScopedHistoryAdmin):
    list_display = ["volunteer", "kind", "on", "title", "issuer", "hours", "grade"]
    list_filter = ["kind", "grade"]
    search_fields = ["title", "volunteer__name", "volunteer__number"]
    list_select_related = ["volunteer"]
