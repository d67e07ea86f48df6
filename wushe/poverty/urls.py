from django.urls import path

from . import views

app_name = "poverty"

urlpatterns = [
    path("checks/", views.check_list, name="check_list"),
    path("checks/new/", views.check_create, name="check_create"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("leads/", views.lead_list, name="lead_list"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/step/", views.lead_step, name="lead_step"),
    path("objects/", views.object_list, name="object_list"),
    path("objects/<int:pk>/", views.object_detail, name="object_detail"),
    path("objects/<int:pk>/measures/", views.measure_add, name="measure_add"),
    path("objects/<int:pk>/incomes/", views.income_add, name="income_add"),
    path("objects/<int:pk>/eliminate/", views.object_eliminate, name="object_eliminate"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/run/", views.warning_run, name="warning_run"),
    path("warnings/<int:pk>/confirm/", views.warning_confirm, name="warning_confirm"),
    path("warnings/<int:pk>/dismiss/", views.warning_dismiss, name="warning_dismiss"),
    path("households/<int:pk>/booklet/", views.booklet, name="booklet"),
    path("households/<int:pk>/card/", views.card, name="card"),
    path("booklets/", views.batch_list, name="batch_list"),
    path("booklets/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("booklets/<int:pk>/booklets.pdf", views.batch_pdf, name="batch_pdf"),
]
