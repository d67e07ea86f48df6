from django.urls import path

from . import edit_views, offline_views, views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list, name="visit_list"),
    path("export.xlsx", views.visit_export, name="visit_export"),
    path("new/", views.visit_create, name="visit_create"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export.xlsx", views.coverage_export, name="coverage_export"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/edit/", edit_views.visit_edit, name="visit_edit"),
    # visits without a signal: the page, its service worker (scope /visits/) and manifest
    path("offline/", offline_views.offline_visit, name="offline"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
]
