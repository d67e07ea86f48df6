"""Admin for operators: configuration (tags, ledger colours) is edited here; the registry itself
is read-only here — people are registered and changed through the pages, the API and imports,
which go through ``registry.services`` (validation, encryption, history, audit)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import DisabilityCertificate, Household, LedgerColourRule, Person, Tag


class ReadOnlyScopedAdmin(SimpleHistoryAdmin):
    """Staff (street administrators) may look at the records of their own scope, nothing more."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined,no-any-return]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "id_masked", "sex", "birth_date", "region", "status"]
    list_filter = ["status", "sex"]
    search_fields = ["name", "name_pinyin"]
    list_select_related = ["region"]
    exclude = ["id_number", "phone", "contact_phone"]
    readonly_fields = ["id_masked", "phone_masked"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).defer("id_number", "phone", "contact_phone")


@admin.register(Household)
class HouseholdAdmin(ReadOnlyScopedAdmin):
    list_display = ["id", "region", "address"]
    list_select_related = ["region"]


@admin.register(DisabilityCertificate)
class DisabilityCertificateAdmin(ReadOnlyScopedAdmin):
    list_display = ["person", "category", "level", "valid_from", "valid_to"]
    list_filter = ["category", "level"]
    list_select_related = ["person"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sensitive", "sort"]
    list_editable = ["sort"]


@admin.register(LedgerColourRule)
class LedgerColourRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "colour"]
    list_editable = ["colour"]
