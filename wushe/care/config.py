"""The care plans' configuration: the service categories (生活照料, 居家环境清洁 …). The category
coded ``cleaning`` is what the figure ``care.monthly_cleaning`` counts."""

from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import ServiceType

register(
    ConfigSection(
        key="care-service-types",
        title=_("照护服务类别"),
        model=ServiceType,
        fields=("code", "name", "name_en", "order", "active"),
        help=_("照护计划和服务记录可选的服务类别；代码为 cleaning 的类别计入“每月居家环境清洁人数”"),
        deletable=False,  # recorded services keep their category: stop using one instead
    )
)
