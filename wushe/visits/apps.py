from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "wushe.visits"
    label = "visits"
    verbose_name = _("五门一声走访")
