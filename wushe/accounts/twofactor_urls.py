"""Two-factor sign-in pages, under ``accounts/2fa/``."""

from django.urls import path

from . import twofactor_views

app_name = "twofactor"

urlpatterns = [
    path("", twofactor_views.manage, name="manage"),
    path("setup/", twofactor_views.setup, name="setup"),
    path("verify/", twofactor_views.verify, name="verify"),
]
