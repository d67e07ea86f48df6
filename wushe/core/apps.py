from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wushe.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import (
            middleware,  # noqa: F401  (connects the login-time receiver)
            staticfiles,  # noqa: F401  (registers the collectstatic check)
        )
