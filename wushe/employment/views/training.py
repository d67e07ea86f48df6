"""Work and income pages — training courses: enrolment, attendance, completion and follow-ups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts.roles import MANAGE_LISTS, RECORD_OUTREACH
from wushe.core.models import AREA_LEVELS
from wushe.core.permissions import page_permission
from wushe.core.web import AuthedRequest
from wushe.registry.picker import person_picker
from wushe.registry.selectors import region_picker

from .. import selectors, services
from ..forms import (
    AttendanceForm,
    CourseForm,
    FollowUpForm,
)
from ..models import Enrolment
from .common import READ, _form_page, _outreach, _save


@page_permission(MANAGE_LISTS)
@require_http_methods(["GET", "POST"])
def course_create(request: AuthedRequest) -> HttpResponse:
    form = CourseForm(
        request.POST or None, user=request.user, regions=region_picker(user=request.user, levels=AREA_LEVELS)
    )
    if request.method == "POST":
        made: list[Any] = []
        if _save(
            request,
            form,
            lambda d: made.append(services.course_create(acting_user=request.user, **d)),
            _("已登记培训课程"),
        ):
            return redirect("employment:course_detail", pk=made[0].pk)
    return _form_page(
        request,
        title=_("登记培训课程"),
        back=reverse("employment:course_list"),
        back_label=_("技能培训"),
        form=form,
    )


def _course_page(request: HttpRequest, course: Any, **bound: Any) -> HttpResponse:
    enrolments = selectors.enrolments_of(course, request.user)
    can = _outreach(request)
    months = services.follow_up_months(course.region)
    context = {
        "course": course,
        "enrolments": enrolments,
        "sessions": range(1, course.sessions + 1),
        "months": months,
        "can_record": can,
        "picker": person_picker(request, title=_("报名：选择学员")) if can else None,
        "attendance_form": bound.get("attendance")
        or (AttendanceForm(enrolments=enrolments, sessions=course.sessions) if can and enrolments else None),
        "follow_up_form": bound.get("follow_up")
        or (FollowUpForm(enrolments=enrolments, months=months) if can and enrolments else None),
    }
    return render(request, "employment/course_detail.html", context, status=400 if bound else 200)


@page_permission(READ)
@require_GET
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_page(request, selectors.get_course_for_user(request.user, pk))


def _person(request: HttpRequest) -> Any:
    from wushe.registry.selectors import get_person_for_user

    try:
        return get_person_for_user(user=request.user, pk=int(request.POST.get("person") or 0))
    except Exception:  # noqa: BLE001 — missing, malformed or out of scope: not found
        return None


@page_permission(RECORD_OUTREACH)
@require_POST
def course_enrol(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    person = _person(request)
    if person is None:
        messages.error(request, _("学员：所选居民不存在或不在您的管辖范围内"))
    else:
        try:
            services.enrolment_create(acting_user=request.user, course=course, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已为%(n)s报名") % {"n": person.name})
    return redirect("employment:course_detail", pk=course.pk)


@page_permission(RECORD_OUTREACH)
@require_POST
def course_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    enrolments = selectors.enrolments_of(course, request.user)
    form = AttendanceForm(request.POST, enrolments=enrolments, sessions=course.sessions)
    by_pk = {str(e.pk): e for e in enrolments}
    if _save(
        request,
        form,
        lambda d: services.attendance_record(
            acting_user=request.user,
            course=course,
            session=d["session"],
            present=[by_pk[k] for k in d["present"]],
        ),
        _("已记录出勤"),
    ):
        return redirect("employment:course_detail", pk=course.pk)
    return _course_page(request, course, attendance=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def course_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    enrolments = selectors.enrolments_of(course, request.user)
    form = FollowUpForm(request.POST, enrolments=enrolments, months=services.follow_up_months(course.region))
    by_pk = {str(e.pk): e for e in enrolments}
    if _save(
        request,
        form,
        lambda d: services.follow_up_record(
            acting_user=request.user,
            enrolment=by_pk[d["enrolment"]],
            month=d["month"],
            outcome=d["outcome"],
            followed_on=d["followed_on"],
            flexible_kind=d["flexible_kind"] or "",
            monthly_income=d["monthly_income"],
            note=d["note"],
        ),
        _("已记录跟踪回访"),
    ):
        return redirect("employment:course_detail", pk=course.pk)
    return _course_page(request, course, follow_up=form)


@page_permission(RECORD_OUTREACH)
@require_POST
def enrolment_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    enrolment: Enrolment = selectors.get_enrolment_for_user(request.user, pk)
    try:
        services.enrolment_complete(acting_user=request.user, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s已结业") % {"n": enrolment.person.name})
    return redirect("employment:course_detail", pk=enrolment.course_id)
