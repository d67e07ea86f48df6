"""The pages of work and income: the lists (courses, micro-factories, job fairs, public-welfare
posts, the working-age disabled residents with no recorded work), each record's page with the
forms that record its work, and the forms that set them up. A rejected form comes back with the
input kept and the error on its field (status 400)."""

from __future__ import annotations

from .common import READ
from .factories import (
    factory_create,
    factory_detail,
    factory_investment,
    factory_month,
    factory_pay,
    factory_worker,
    worker_end,
)
from .fairs import (
    fair_apply,
    fair_create,
    fair_decide,
    fair_detail,
    fair_enterprise,
    fair_hire_follow_up,
    fair_position,
)
from .lists import (
    COURSES,
    FACTORIES,
    FAIRS,
    IDLE,
    POSTS,
    CommunityFilter,
    course_export,
    course_list,
    factory_export,
    factory_list,
    fair_export,
    fair_list,
    idle_export,
    idle_list,
    post_export,
    post_list,
)
from .posts import (
    post_create,
    post_detail,
    post_recommend,
    recommendation_confirm,
    recommendation_decide,
    recommendation_leave,
    recommendation_place,
)
from .training import (
    course_attendance,
    course_create,
    course_detail,
    course_enrol,
    course_follow_up,
    enrolment_complete,
)

__all__ = [
    "COURSES",
    "CommunityFilter",
    "FACTORIES",
    "FAIRS",
    "IDLE",
    "POSTS",
    "READ",
    "course_attendance",
    "course_create",
    "course_detail",
    "course_enrol",
    "course_export",
    "course_follow_up",
    "course_list",
    "enrolment_complete",
    "factory_create",
    "factory_detail",
    "factory_export",
    "factory_investment",
    "factory_list",
    "factory_month",
    "factory_pay",
    "factory_worker",
    "fair_apply",
    "fair_create",
    "fair_decide",
    "fair_detail",
    "fair_enterprise",
    "fair_export",
    "fair_hire_follow_up",
    "fair_list",
    "fair_position",
    "idle_export",
    "idle_list",
    "post_create",
    "post_detail",
    "post_export",
    "post_list",
    "post_recommend",
    "recommendation_confirm",
    "recommendation_decide",
    "recommendation_leave",
    "recommendation_place",
    "worker_end",
]
