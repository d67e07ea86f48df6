"""The needs' configuration section (settings pages, ``core.config``)."""

from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import NeedCategory

register(
    ConfigSection(
        key="need-categories",
        title=_("需求类别"),
        model=NeedCategory,
        fields=("code", "name", "order", "active"),
        help=_("需求清单的类别；不再使用的类别可停用，已登记的需求不受影响"),
    )
)
