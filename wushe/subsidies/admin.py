"""Rules, applications and rosters in the admin: read-only and scoped (no bank accounts)."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import Application, Roster, SubsidyRule


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(ScopedReadOnlyAdmin):
    list_display = ["region", "year", "kind", "amount_1", "amount_2", "amount_3", "amount_4"]
    list_select_related = ["region"]


@admin.register(Application)
class ApplicationAdmin(ScopedReadOnlyAdmin):
    list_display = ["applied_on", "kind", "status", "region"]
    list_filter = ["status", "kind"]
    list_select_related = ["region"]
    exclude = ["person", "bank_account", "applicant_name"]


@admin.register(Roster)
class RosterAdmin(ScopedReadOnlyAdmin):
    list_display = ["region", "month", "status", "living", "nursing", "amount"]
    list_select_related = ["region"]
