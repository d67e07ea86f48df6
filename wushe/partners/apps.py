from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "wushe.partners"
    label = "partners"
    verbose_name = _("社会组织与资源")
