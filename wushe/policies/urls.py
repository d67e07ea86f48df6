from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="policy_list"),
    path("run/", views.run_start, name="run_start"),
    path("<int:pk>/", views.policy_detail, name="policy_detail"),
    path("<int:pk>/apply/", views.application_create, name="application_create"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/export/", views.application_export, name="application_export"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
]
