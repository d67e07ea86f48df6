"""Work and income in the admin: read-only and scoped."""

from django.contrib import admin

from wushe.core.adminsite import ScopedReadOnlyAdmin

from .models import Course, JobFair, MicroFactory, WelfarePost


@admin.register(Course)
class CourseAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "kind", "region", "start_on", "end_on"]
    list_select_related = ["region"]


@admin.register(MicroFactory)
class MicroFactoryAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "region", "operator", "opened_on"]
    list_select_related = ["region", "operator"]


@admin.register(JobFair)
class JobFairAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "region", "held_on", "place"]
    list_select_related = ["region"]


@admin.register(WelfarePost)
class WelfarePostAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "provider", "region", "places", "start_on", "end_on"]
    list_select_related = ["region"]
