"""Studios, requests, their closed loop (督办, 回访) and their configuration in the admin:
superusers only, read-only and scoped. The working calendar and the step limits are configured
on wushe's settings pages."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import Appeal, AppealSupervision, CalendarDay, ReturnCall, StepLimit, Studio


@admin.register(Studio)
class StudioAdmin(ScopedReadOnlyAdmin):
    list_display = ["organization", "region", "theme"]
    list_select_related = ["organization", "region"]


@admin.register(Appeal)
class AppealAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "step", "category", "region", "due_on", "registered_at"]
    list_filter = ["step", "category", "channel"]
    search_fields = ["number"]
    list_select_related = ["region"]
    exclude = ["requester_phone", "person"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedReadOnlyAdmin):
    list_display = ["date", "working", "name"]
    list_filter = ["working"]
    date_hierarchy = "date"


@admin.register(StepLimit)
class StepLimitAdmin(ScopedReadOnlyAdmin):
    list_display = ["step", "category", "working_days"]


@admin.register(AppealSupervision)
class AppealSupervisionAdmin(ScopedReadOnlyAdmin):
    list_display = ["appeal", "at", "actor_name", "step", "due_on"]
    list_filter = ["step"]
    date_hierarchy = "at"
    search_fields = ["appeal__number"]
    list_select_related = ["appeal"]


@admin.register(ReturnCall)
class ReturnCallAdmin(ScopedReadOnlyAdmin):
    list_display = ["appeal", "at", "actor_name", "outcome", "satisfaction"]
    list_filter = ["outcome", "satisfaction"]
    date_hierarchy = "at"
    search_fields = ["appeal__number"]
    list_select_related = ["appeal"]
