"""The registry's configuration sections (settings pages, ``core.config``)."""

from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import LedgerColourRule, Tag

register(
    ConfigSection(
        key="tags",
        title=_("人员类别"),
        model=Tag,
        fields=("code", "name", "name_en", "sensitive", "sort"),
        help=_("低保、特困、脱贫户等人员类别；敏感类别只对有权限的人显示"),
    )
)
register(
    ConfigSection(
        key="ledger-colours",
        title=_("四色台账规则"),
        model=LedgerColourRule,
        fields=("category", "colour"),
        help=_("每个残疾类别归入哪种台账颜色"),
        deletable=False,
    )
)
