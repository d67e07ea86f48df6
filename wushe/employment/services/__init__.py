"""Every write of work and income: keyword-only, checked, atomic. Courses, micro-factories, job
fairs and posts are set up by who keeps the lists (``MANAGE_LISTS``); enrolments, attendance,
follow-ups, workers, applications and recommendations by who does the outreach
(``RECORD_OUTREACH``); a recommendation is approved by the provider's side (``MANAGE_LISTS``),
never by the one who recommended."""

from __future__ import annotations

from .common import DEFAULT_MONTHS
from .factories import (
    factory_create,
    factory_month_record,
    investment_record,
    worker_add,
    worker_end,
    worker_month_record,
)
from .fairs import (
    application_create,
    application_decide,
    fair_enterprise_add,
    hire_follow_up_record,
    job_fair_create,
    position_add,
)
from .posts import (
    confirmation_record,
    placement_end,
    placement_start,
    recommendation_create,
    recommendation_decide,
    welfare_post_create,
)
from .training import (
    attendance_record,
    course_create,
    enrolment_complete,
    enrolment_create,
    follow_up_months,
    follow_up_record,
)

__all__ = [
    "DEFAULT_MONTHS",
    "application_create",
    "application_decide",
    "attendance_record",
    "confirmation_record",
    "course_create",
    "enrolment_complete",
    "enrolment_create",
    "factory_create",
    "factory_month_record",
    "fair_enterprise_add",
    "follow_up_months",
    "follow_up_record",
    "hire_follow_up_record",
    "investment_record",
    "job_fair_create",
    "placement_end",
    "placement_start",
    "position_add",
    "recommendation_create",
    "recommendation_decide",
    "welfare_post_create",
    "worker_add",
    "worker_end",
    "worker_month_record",
]
