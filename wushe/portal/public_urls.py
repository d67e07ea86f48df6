"""The residents' public pages (no login), under /public/."""

from django.urls import path

from . import public_views

app_name = "portal_public"

urlpatterns = [
    path("requests/new/", public_views.request_new, name="request_new"),
    path("requests/check/", public_views.request_check, name="request_check"),
    path("ratings/<str:token>/", public_views.rating, name="rating"),
]
