"""The visits of a person or a household on their pages (``core.sections``): the latest, and
recording one from there."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.sections import Action, Row, Section, listed, register
from wushe.registry.subjects import Subject, subject_url

from .models import Visit
from .selectors import VisitFilters, visit_list


def _row(visit: Visit) -> Row:
    reached = _("已入户") if visit.reached else _("未敲开")
    details = [visit.region.name, str(visit.created_by or _("系统"))]
    if visit.key_problem:
        details.insert(0, visit.key_problem)
    return Row(
        title=f"{visit.visited_on:%Y-%m-%d} {visit.get_channel_display()}",
        url=reverse("visits:visit_detail", args=[visit.pk]),
        meta=" · ".join(details),
        status=str(reached),
        tone="success" if visit.reached else "warning",
    )


def _reader(kind: str) -> Any:
    def read(subject: Any, user: Any) -> dict[str, Any]:
        filters = VisitFilters(subject=Subject(**{kind: subject.pk}))
        return listed(
            visit_list(user=user, filters=filters),
            row=_row,
            more_url=subject_url(reverse("visits:visit_list"), kind, subject),
            empty=_("还没有走访记录。"),
        )

    return read


def _record_url(kind: str, subject: Any) -> str | None:
    url = reverse("visits:visit_create")
    if kind == "household":
        return f"{url}?household={subject.pk}"
    if subject.status != "active":
        return None
    return f"{url}?person={subject.pk}"  # the visit takes the person's household


register(
    Section(
        key="visits",
        title=gettext_lazy("五门一声走访"),
        order=40,
        person=_reader("person"),
        household=_reader("household"),
        actions=(Action(gettext_lazy("记录走访"), url=_record_url, permission=RECORD_OUTREACH),),
    )
)
