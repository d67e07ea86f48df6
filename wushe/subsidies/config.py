"""The subsidies' configuration: each region's rule per year and subsidy (CEL clauses, amounts by
level, 择高 allowances, review cycle). A region without one takes the national default clauses
(``eligibility.DEFAULT_CLAUSES``) and ``WUSHE_SUBSIDY_DEFAULT_AMOUNTS``."""

from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import SubsidyRule

register(
    ConfigSection(
        key="subsidy-rules",
        title=_("残疾人两项补贴规则"),
        model=SubsidyRule,
        fields=(
            "region",
            "year",
            "kind",
            "clauses",
            "labels",
            "amount_1",
            "amount_2",
            "amount_3",
            "amount_4",
            "alternatives",
            "review_months",
            "note",
        ),
        help=_(
            "条件为 CEL 表达式（全部满足才符合），可读取 person.tags、household.tags、person.disability_level 等；"
            "不设置则按国家默认规则。例如把生活补贴放宽到低收入家庭："
            '"dibao" in household.tags || "low-income" in household.tags'
        ),
    )
)
