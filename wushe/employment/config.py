"""The configuration of work and income: the months after a course at which a street follows
its trainees up (a street without a row takes WUSHE_TRAINING_FOLLOW_UP_MONTHS: 1, 3 and 6)."""

from django.utils.translation import gettext_lazy as _

from wushe.core.config import ConfigSection, register

from .models import FollowUpPlan

register(
    ConfigSection(
        key="training-follow-up",
        title=_("培训后跟踪月份"),
        model=FollowUpPlan,
        fields=("region", "months"),
        help=_("课程结束后第几个月回访学员的就业情况，用逗号分隔，如 1,3,6"),
    )
)
