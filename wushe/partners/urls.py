from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/export.xlsx", views.organization_export, name="organization_export"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/export.xlsx", views.resource_export, name="resource_export"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("responsibilities/", views.responsibility_list, name="responsibility_list"),
    path("responsibilities/export.xlsx", views.responsibility_export, name="responsibility_export"),
    path("responsibilities/<int:pk>/", views.responsibility_detail, name="responsibility_detail"),
]
