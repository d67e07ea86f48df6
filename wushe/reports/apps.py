from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wushe.reports"
    label = "reports"
    verbose_name = _("统计报表")

    def ready(self) -> None:
        from wushe.core.metrics import declare_well_known_groups

        declare_well_known_groups()
        # each app defines its figures in its own metrics.py
        autodiscover_modules("metrics")
