from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "wushe.casework"
    label = "casework"
    verbose_name = _("个案、小组与社区活动")
