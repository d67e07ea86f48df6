"""Studios and requests in the admin: read-only and scoped. The working calendar (holidays and
make-up working days) and the step limits are configuration, edited here."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from wushe.registry.admin import ReadOnlyScopedAdmin

from . import calendar
from .models import Appeal, CalendarDay, StepLimit, Studio


class ReadOnlyAdmin(admin.ModelAdmin):
    """Scoped and read-only like ``ReadOnlyScopedAdmin``, for models without a change history
    (their steps are their record)."""

    has_module_permission = ReadOnlyScopedAdmin.has_module_permission
    has_view_permission = ReadOnlyScopedAdmin.has_view_permission
    has_add_permission = ReadOnlyScopedAdmin.has_add_permission
    has_change_permission = ReadOnlyScopedAdmin.has_change_permission
    has_delete_permission = ReadOnlyScopedAdmin.has_delete_permission

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined,no-any-return]


@admin.register(Studio)
class StudioAdmin(ReadOnlyAdmin):
    list_display = ["organization", "region", "theme"]
    list_select_related = ["organization", "region"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["number", "step", "category", "region", "due_on", "registered_at"]
    list_filter = ["step", "category", "channel"]
    search_fields = ["number"]
    list_select_related = ["region"]
    exclude = ["requester_phone", "person"]


class CalendarConfigAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar.invalidate()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        calendar.invalidate()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        calendar.invalidate()


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarConfigAdmin):
    list_display = ["date", "working", "name"]
    list_filter = ["working"]
    date_hierarchy = "date"


@admin.register(StepLimit)
class StepLimitAdmin(CalendarConfigAdmin):
    list_display = ["step", "category", "working_days"]
