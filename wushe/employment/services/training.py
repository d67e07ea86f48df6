"""Work and income writes — training courses: enrolment, attendance, completion and follow-ups."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.checks import count, not_future, text, today
from wushe.core.history import actor
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.partners.models import Organization
from wushe.projects.models import Project
from wushe.registry.models import Person

from ..models import (
    Attendance,
    Course,
    CourseKind,
    Enrolment,
    FlexibleKind,
    FollowUp,
    FollowUpPlan,
    Outcome,
    parse_months,
)
from .common import DEFAULT_MONTHS, _choice, _dates, _outreach, _pay, _resident


def follow_up_months(region: Region) -> tuple[int, ...]:
    """The months a region follows its trainees up: the plan of the region or the nearest region
    above it that has one, else ``WUSHE_TRAINING_FOLLOW_UP_MONTHS`` (1, 3, 6)."""
    node: Region | None = region
    while node is not None:
        plan = FollowUpPlan.objects.filter(region=node).first()
        if plan is not None:
            try:
                return parse_months(plan.months)
            except ValidationError as exc:
                raise ValidationError({"month": exc.messages}) from None
        node = node.parent
    return tuple(getattr(settings, "WUSHE_TRAINING_FOLLOW_UP_MONTHS", DEFAULT_MONTHS))


@transaction.atomic
def course_create(
    *,
    acting_user: User | None,
    region: Region,
    title: str,
    kind: str,
    start_on: datetime.date,
    end_on: datetime.date,
    sessions: int,
    organizer: Organization | None = None,
    trainer: str = "",
    place: str = "",
    target_group: str = "",
    project: Project | None = None,
) -> Course:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    _dates(start_on, end_on, start_field="start_on", end_field="end_on")
    n = count(sessions, "sessions", label=_("课次"), maximum=200)
    if n < 1:
        raise ValidationError({"sessions": _("课次至少为1")})
    return Course.objects.create(
        region=region,
        title=text(title, "title", max_length=100, required=True),
        kind=_choice(kind, CourseKind.values, "kind"),
        organizer=organizer,
        trainer=text(trainer, "trainer", max_length=60),
        place=text(place, "place", max_length=100),
        start_on=start_on,
        end_on=end_on,
        sessions=n,
        target_group=text(target_group, "target_group", max_length=100),
        project=project,
        created_by=actor(acting_user),
    )


@transaction.atomic
def enrolment_create(
    *, acting_user: User | None, course: Course, person: Person, enrolled_on: datetime.date | None = None
) -> Enrolment:
    _outreach(acting_user)
    _resident(acting_user, person)
    day = enrolled_on or today()
    not_future(day, "enrolled_on")
    if Enrolment.objects.filter(course=course, person=person).exists():
        raise ValidationError({"person": _("该居民已报名此课程")})
    return Enrolment.objects.create(
        course=course,
        person=person,
        region_id=person.region_id,
        enrolled_on=day,
        created_by=actor(acting_user),
    )


@transaction.atomic
def attendance_record(
    *, acting_user: User | None, course: Course, session: int, present: Sequence[Enrolment]
) -> int:
    """One session's attendance: every enrolment of the course is marked present or absent
    (recording a session again replaces it). Returns how many were present."""
    _outreach(acting_user)
    n = count(session, "session", label=_("课次"), maximum=course.sessions)
    if n < 1:
        raise ValidationError({"session": _("课次须在1到%(m)s之间") % {"m": course.sessions}})
    if course.start_on > today():
        raise ValidationError({"session": _("课程尚未开始")})
    here = {e.pk for e in present}
    enrolments = list(course.enrolments.all())
    if here - {e.pk for e in enrolments}:
        raise ValidationError({"present": _("出勤名单中有未报名此课程的人员")})
    Attendance.objects.filter(enrolment__course=course, session=n).delete()
    Attendance.objects.bulk_create(
        Attendance(enrolment=e, session=n, present=e.pk in here, recorded_by=actor(acting_user))
        for e in enrolments
    )
    return len(here)


@transaction.atomic
def enrolment_complete(
    *, acting_user: User | None, enrolment: Enrolment, completed_on: datetime.date | None = None
) -> Enrolment:
    _outreach(acting_user)
    day = completed_on or today()
    not_future(day, "completed_on")
    if day < enrolment.course.start_on:
        raise ValidationError({"completed_on": _("结业日期不能早于课程开始日期")})
    enrolment.completed_on = day
    enrolment.save(update_fields=["completed_on"])
    return enrolment


@transaction.atomic
def follow_up_record(
    *,
    acting_user: User | None,
    enrolment: Enrolment,
    month: int,
    outcome: str,
    followed_on: datetime.date | None = None,
    flexible_kind: str = "",
    monthly_income: Decimal | int | str | None = None,
    note: str = "",
) -> FollowUp:
    """The trainee's work at one of the configured months after the course (recorded again, it
    is corrected)."""
    _outreach(acting_user)
    months = follow_up_months(enrolment.course.region)
    if month not in months:
        raise ValidationError(
            {"month": _("跟踪月份须为%(m)s之一") % {"m": "、".join(str(m) for m in months)}}
        )
    _choice(outcome, Outcome.values, "outcome")
    _choice(flexible_kind, FlexibleKind.values, "flexible_kind")
    if outcome == Outcome.FLEXIBLE and not flexible_kind:
        raise ValidationError({"flexible_kind": _("灵活就业须说明方式（直播带货、手工订单、平台零工……）")})
    if outcome != Outcome.FLEXIBLE:
        flexible_kind = ""
    day = followed_on or today()
    not_future(day, "followed_on")
    if day < enrolment.course.end_on:
        raise ValidationError({"followed_on": _("回访日期不能早于课程结束日期")})
    income = _pay(monthly_income, "monthly_income")
    if outcome == Outcome.NOT_WORKING and income:
        raise ValidationError({"monthly_income": _("未就业时不应填写务工收入")})
    follow_up, _created = FollowUp.objects.update_or_create(
        enrolment=enrolment,
        month=month,
        defaults={
            "followed_on": day,
            "outcome": outcome,
            "flexible_kind": flexible_kind,
            "monthly_income": income,
            "note": text(note, "note", max_length=200),
            "created_by": actor(acting_user),
        },
    )
    return follow_up
