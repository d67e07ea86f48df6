"""Volunteer service on a person's and a household's pages (``core.sections``): what they gave as
registered volunteers and what they received, and registering the person as a volunteer."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import LOG_VOLUNTEER_HOURS
from wushe.core.sections import Action, Row, Section, listed, register
from wushe.registry.subjects import Subject, subject_url

from .models import RecordStatus, ServiceRecord
from .selectors import service_of


def _row(record: ServiceRecord) -> Row:
    who = (
        _("提供服务：%(name)s") % {"name": record.volunteer.name}
        if record.gave  # type: ignore[attr-defined]
        else _("接受服务：%(name)s提供") % {"name": record.volunteer.name}
    )
    return Row(
        title=f"{record.on:%Y-%m-%d} {record.get_kind_display()} · {record.content}",
        url=reverse("volunteers:volunteer_detail", args=[record.volunteer_id]),
        meta=" · ".join([str(who), _("%(h)s小时") % {"h": record.hours}, record.team.organization.name]),
        status=str(record.get_status_display()),
        tone="success" if record.status == RecordStatus.VERIFIED else "secondary",
    )


def _reader(kind: str) -> Any:
    def read(subject: Any, user: Any) -> dict[str, Any]:
        return listed(
            service_of(user=user, subject=Subject(**{kind: subject.pk})),
            row=_row,
            more_url=subject_url(reverse("volunteers:volunteer_list"), kind, subject),
            empty=_("没有志愿服务记录。"),
        )

    return read


def _register_url(kind: str, subject: Any) -> str | None:
    if kind != "person" or subject.status != "active":
        return None
    return f"{reverse('volunteers:volunteer_create')}?person={subject.pk}"


register(
    Section(
        key="volunteering",
        title=gettext_lazy("志愿服务"),
        order=100,
        person=_reader("person"),
        household=_reader("household"),
        actions=(Action(gettext_lazy("登记为志愿者"), url=_register_url, permission=LOG_VOLUNTEER_HOURS),),
    )
)
