"""The needs and problems of a person or a household on their pages (``core.sections``): the
latest with their status (an overdue need says so), and registering a need from there."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.sections import Action, Row, register
from wushe.registry.subjects import action_url, records_section

from .models import Need, NeedStatus, Problem, ProblemStatus
from .selectors import NeedFilters, ProblemFilters, need_list, problem_list

_TONES: dict[str, str] = {
    NeedStatus.MET: "success",
    NeedStatus.UNMET: "secondary",
    NeedStatus.ASSESS: "warning",
}


def _need_row(need: Need) -> Row:
    overdue = need.is_open and need.deadline < timezone.localdate()
    details = [f"{need.reported_on:%Y-%m-%d}", need.responsible_unit.name]
    if need.referred_to_id:
        details.append(_("转介至%(org)s") % {"org": need.referred_to.name})  # type: ignore[union-attr]
    if need.is_open:
        details.append(_("办结期限 %(day)s") % {"day": f"{need.deadline:%Y-%m-%d}"})
    status = need.get_status_display()
    return Row(
        title=f"{need.category.label}：{need.description}",
        url=reverse("needs:need_detail", args=[need.pk]),
        meta=" · ".join(details),
        status=f"{status} · {_('逾期')}" if overdue else str(status),
        tone="danger" if overdue else _TONES.get(need.status, "info"),
    )


register(
    records_section(
        key="needs",
        title=gettext_lazy("需求及办理状态"),
        order=50,
        records=lambda user, subject: need_list(user=user, filters=NeedFilters(subject=subject)),
        row=_need_row,
        list_name="needs:need_list",
        empty=gettext_lazy("没有登记需求。"),
        actions=(
            Action(gettext_lazy("登记需求"), url=action_url("needs:need_create"), permission=RECORD_OUTREACH),
        ),
    )
)


def _problem_row(problem: Problem) -> Row:
    details = [f"{problem.found_on:%Y-%m-%d}", problem.get_source_display()]
    if problem.resolution:
        details.append(problem.resolution)
    return Row(
        title=problem.description,
        meta=" · ".join(details),
        status=str(problem.get_status_display()),
        tone="success" if problem.status == ProblemStatus.RESOLVED else "warning",
    )


register(
    records_section(
        key="problems",
        title=gettext_lazy("发现的问题"),
        order=60,
        records=lambda user, subject: problem_list(user=user, filters=ProblemFilters(subject=subject)),
        row=_problem_row,
        list_name="needs:problem_list",
        empty=gettext_lazy("没有发现的问题。"),
    )
)
