from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "wushe.funds"
    label = "funds"
    verbose_name = _("社区慈善基金")
