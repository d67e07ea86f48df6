from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "wushe.consent"
    label = "consent"
    verbose_name = _("同意与处理依据")

    def ready(self) -> None:
        # the registry asks, when a certificate or a sensitive tag is recorded, whether the
        # person's data of that kind has a basis (registry.basis); consent answers
        from . import checks  # noqa: F401
