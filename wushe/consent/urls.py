from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("", views.report, name="report"),
    path("export/", views.report_export, name="report_export"),
    path("person/<int:pk>/consent/", views.consent_create, name="consent_create"),
    path("person/<int:pk>/basis/", views.basis_create, name="basis_create"),
    path("<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/scan/", views.consent_scan, name="consent_scan"),
]
