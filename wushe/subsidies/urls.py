from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("", views.index, name="index"),
    path("persons/<int:pk>/apply/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/step/", views.application_step, name="application_step"),
    path("roster/", views.roster, name="roster"),
    path("roster/approve/", views.roster_approve, name="roster_approve"),
    path("roster/pay/", views.roster_pay, name="roster_pay"),
    path("roster/bank.xlsx", views.roster_export, name="roster_export"),
    path("worklist/", views.worklist, name="worklist"),
]
