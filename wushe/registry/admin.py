"""The registry in the admin (superusers only, read-only, scoped): people are registered and
changed through the pages, the API and imports, which go through ``registry.services``
(validation, encryption, history, audit); tags and ledger colours are configured on wushe's
settings pages (``core.config``)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from wushe.core.adminsite import ScopedHistoryAdmin, ScopedReadOnlyAdmin

from .models import DisabilityCertificate, Household, HouseholdChange, LedgerColourRule, Person, Tag


@admin.register(Person)
class PersonAdmin(ScopedHistoryAdmin):
    list_display = ["name", "id_masked", "sex", "birth_date", "region", "status"]
    list_filter = ["status", "sex"]
    search_fields = ["name", "name_pinyin"]
    list_select_related = ["region"]
    exclude = ["id_number", "phone", "contact_phone"]
    readonly_fields = ["id_masked", "phone_masked"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).defer("id_number", "phone", "contact_phone")


@admin.register(Household)
class HouseholdAdmin(ScopedHistoryAdmin):
    list_display = ["id", "region", "address"]
    list_select_related = ["region"]


@admin.register(DisabilityCertificate)
class DisabilityCertificateAdmin(ScopedHistoryAdmin):
    list_display = ["person", "category", "level", "valid_from", "valid_to"]
    list_filter = ["category", "level"]
    list_select_related = ["person"]


@admin.register(Tag)
class TagAdmin(ScopedReadOnlyAdmin):
    list_display = ["code", "name", "sensitive", "sort"]


@admin.register(LedgerColourRule)
class LedgerColourRuleAdmin(ScopedReadOnlyAdmin):
    list_display = ["category", "colour"]


admin.site.register(HouseholdChange, ScopedReadOnlyAdmin)  # the household changes: append-only, read here
