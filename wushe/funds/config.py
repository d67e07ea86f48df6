"""The funds' configuration: each street's approval thresholds (chair alone below, the street's
approval above); a street without a row takes WUSHE_FUND_CHAIR_ALONE_BELOW and
WUSHE_FUND_STREET_APPROVAL_ABOVE (2,000 and 50,000 yuan)."""

from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import FundRule

register(
    ConfigSection(
        key="fund-rules",
        title=_("慈善基金审批额度"),
        model=FundRule,
        fields=("region", "chair_alone_below", "street_approval_above"),
        help=_("低于第一个金额的支出可由管委会主任单独批准；超过第二个金额的支出还须街道管理员批准"),
    )
)
