from django.urls import path

from . import edit_views, views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="appeal_list"),
    path("export.xlsx", views.appeal_export, name="appeal_export"),
    path("new/", views.appeal_create, name="appeal_create"),
    path("<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("<int:pk>/edit/", edit_views.appeal_edit, name="appeal_edit"),
    path("<int:pk>/step/", views.appeal_step, name="appeal_step"),
    path("<int:pk>/satisfaction/", views.appeal_satisfaction, name="appeal_satisfaction"),
    path("<int:pk>/supervise/", views.appeal_supervise, name="appeal_supervise"),
    path("<int:pk>/return-call/", views.appeal_return_call, name="appeal_return_call"),
    path("<int:pk>/receipt/", views.appeal_receipt, name="appeal_receipt"),
    path("studios/", views.studio_list, name="studio_list"),
    path("studios/export.xlsx", views.studio_export, name="studio_export"),
    path("studios/<int:pk>/", views.studio_detail, name="studio_detail"),
]
