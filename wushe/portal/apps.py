from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "wushe.portal"
    label = "portal"
    verbose_name = _("居民自助诉求与评价")
