"""Referrals in the admin (superusers only, read-only, scoped): needs are referred, accepted and
returned through the needs pages and API, which go through ``needs.services`` and
``needs.referral_services``."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import Referral


@admin.register(Referral)
class ReferralAdmin(ScopedReadOnlyAdmin):
    list_display = ["need", "organization", "state", "manual", "referred_at", "answered_at"]
    list_filter = ["state", "manual"]
    date_hierarchy = "referred_at"
    search_fields = ["organization__name"]
    list_select_related = ["need__category", "organization"]
