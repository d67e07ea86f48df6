from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "wushe.appeals"
    label = "appeals"
    verbose_name = _("工作室与居民诉求")
