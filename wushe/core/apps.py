from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wushe.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import (
            middleware,  # noqa: F401  (connects the login-time receiver)
            staticfiles,  # noqa: F401  (registers the collectstatic check)
        )

        autodiscover_modules("config")  # each app declares its settings sections in config.py
        # each app registers what it adds to the home page (to-dos) and the main menu in home.py
        autodiscover_modules("home")
        autodiscover_modules("sections")  # and the sections of the person and household pages


class WusheAdminConfig(admin_apps.AdminConfig):
    """The Django admin with wushe's site: superusers only, read-only, scoped (core/adminsite.py)."""

    default = False  # CoreConfig stays this module's default
    default_site = "wushe.core.adminsite.WusheAdminSite"
