"""The needs' configuration: the settings pages' section (``core.config``) and the deadlines by urgency."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import NeedCategory, Urgency

# Days from registration to the deadline, by urgency (configuration: WUSHE_NEED_DEADLINE_DAYS).
DEADLINE_DAYS = {Urgency.NORMAL: 30, Urgency.URGENT: 7, Urgency.CRITICAL: 2}


def deadline_days() -> dict[str, int]:
    return {**DEADLINE_DAYS, **getattr(settings, "WUSHE_NEED_DEADLINE_DAYS", {})}


register(
    ConfigSection(
        key="need-categories",
        title=_("需求类别"),
        model=NeedCategory,
        fields=("code", "name", "name_en", "order", "active"),
        help=_("需求清单的类别；不再使用的类别可停用，已登记的需求不受影响"),
    )
)
