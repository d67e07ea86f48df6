from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "wushe.subsidies"
    label = "subsidies"
    verbose_name = _("残疾人两项补贴")
