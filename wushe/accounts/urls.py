from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/grant/", views.user_grant, name="user_grant"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("audit/", views.audit, name="audit"),
]
