from django.urls import path

from . import config_views

app_name = "config"

urlpatterns = [
    path("", config_views.config_index, name="index"),
    path("<slug:key>/", config_views.config_list, name="list"),
    path("<slug:key>/new/", config_views.config_edit, name="add"),
    path("<slug:key>/<int:pk>/", config_views.config_edit, name="change"),
    path("<slug:key>/<int:pk>/delete/", config_views.config_delete, name="delete"),
]
