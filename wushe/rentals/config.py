"""The rental catalogue: device types by GB/T 16432 class, with the standard deposit, monthly
rent and loan period a rental takes unless the worker gives others."""

from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import DeviceType

register(
    ConfigSection(
        key="rental-device-types",
        title=_("辅助器具类别"),
        model=DeviceType,
        fields=("code", "name", "name_en", "deposit", "monthly_rent", "loan_days", "active"),
        help=_("按《中国康复辅助器具目录》/ GB/T 16432 分类；押金、月租金和租期为出租时的默认值"),
        deletable=False,  # items and rentals keep their type: stop using one instead
    )
)
