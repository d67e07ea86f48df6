"""The submissions and rating links in the admin: superusers only, read-only and scoped."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import RatingLink, Submission


@admin.register(Submission)
class SubmissionAdmin(ScopedReadOnlyAdmin):
    list_display = ["number", "status", "category", "community", "submitted_at"]
    list_filter = ["status", "category"]
    search_fields = ["number"]
    list_select_related = ["community"]
    exclude = ["requester_phone", "code_hash"]


@admin.register(RatingLink)
class RatingLinkAdmin(ScopedReadOnlyAdmin):
    list_display = ["kind", "region", "created_at", "expires_at", "used_at", "satisfaction"]
    list_filter = ["kind", "satisfaction"]
    list_select_related = ["region"]
    exclude = ["token_hash"]
