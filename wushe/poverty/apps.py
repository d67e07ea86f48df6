from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PovertyConfig(AppConfig):
    name = "wushe.poverty"
    label = "poverty"
    verbose_name = _("社工+扶贫")

    def ready(self) -> None:
        from wushe.registry.facts import register_facts

        from .facts import check_facts

        register_facts("poverty", check_facts)
