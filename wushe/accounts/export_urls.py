"""The user's own exports made in the background, under ``exports/``."""

from django.urls import path

from . import export_views

app_name = "exports"

urlpatterns = [
    path("", export_views.export_list, name="list"),
    path("<int:pk>/", export_views.export_detail, name="detail"),
    path("<int:pk>/file/", export_views.export_file, name="file"),
]
