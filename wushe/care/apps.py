from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "wushe.care"
    label = "care"
    verbose_name = _("困难重度残疾人照护")
