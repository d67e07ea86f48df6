"""Funds, donations, requests and the journal in the admin: read-only and scoped."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import Disbursement, Donation, Fund, FundEntry


@admin.register(Fund)
class FundAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "region", "organization", "opened_on", "closed_on"]
    search_fields = ["name"]
    list_select_related = ["region", "organization"]
    exclude = ["public_token"]


@admin.register(Donation)
class DonationAdmin(ScopedReadOnlyAdmin):
    list_display = ["donated_on", "amount", "channel", "fund"]
    list_select_related = ["fund"]
    exclude = ["donor_person", "restricted_person", "restricted_household", "household"]


@admin.register(Disbursement)
class DisbursementAdmin(ScopedReadOnlyAdmin):
    list_display = ["fund", "amount", "purpose", "status", "paid_on"]
    list_filter = ["status"]
    list_select_related = ["fund"]
    exclude = ["person", "household"]


@admin.register(FundEntry)
class FundEntryAdmin(ScopedReadOnlyAdmin):
    list_display = ["occurred_on", "fund", "entry_type", "amount", "pool"]
    list_select_related = ["fund"]
