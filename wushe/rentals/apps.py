from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RentalsConfig(AppConfig):
    name = "wushe.rentals"
    label = "rentals"
    verbose_name = _("康复辅助器具社区租赁")
