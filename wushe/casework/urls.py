from django.urls import path

from . import activity_views, group_views, views

app_name = "casework"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.xlsx", views.case_export, name="case_export"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/advance/", views.case_advance, name="case_advance"),
    path("cases/<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/services/", views.case_service_add, name="case_service_add"),
    path("groups/", group_views.group_list, name="group_list"),
    path("groups/export.xlsx", group_views.group_export, name="group_export"),
    path("groups/new/", group_views.group_create, name="group_create"),
    path("groups/<int:pk>/", group_views.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/", group_views.group_member_add, name="group_member_add"),
    path("groups/<int:pk>/sessions/", group_views.group_session_add, name="group_session_add"),
    path("activities/", activity_views.activity_list, name="activity_list"),
    path("activities/export.xlsx", activity_views.activity_export, name="activity_export"),
    path("activities/new/", activity_views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/photos/", activity_views.activity_photo_add, name="activity_photo_add"),
    path("photos/<int:pk>/", activity_views.activity_photo, name="activity_photo"),
]
