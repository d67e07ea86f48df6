"""Volunteer service on a person's and a household's pages (``core.sections``): what they gave as
registered volunteers and what they received, and registering the person as a volunteer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import LOG_VOLUNTEER_HOURS
from wushe.core.sections import Action, Row, register
from wushe.registry.subjects import action_url, records_section

from .models import RecordStatus, ServiceRecord
from .selectors import service_of


def _row(record: ServiceRecord) -> Row:
    name = {"name": record.volunteer.name}
    who = _("提供服务：%(name)s") % name if record.gave else _("接受服务：%(name)s提供") % name  # type: ignore[attr-defined]
    return Row(
        title=f"{record.on:%Y-%m-%d} {record.get_kind_display()} · {record.content}",
        url=reverse("volunteers:volunteer_detail", args=[record.volunteer_id]),
        meta=" · ".join([who, _("%(h)s小时") % {"h": record.hours}, record.team.organization.name]),
        status=str(record.get_status_display()),
        tone="success" if record.status == RecordStatus.VERIFIED else "secondary",
    )


register(
    records_section(
        key="volunteering",
        title=gettext_lazy("志愿服务"),
        order=100,
        # the full list: the person's volunteer profiles (their records are on each profile)
        records=lambda user, subject: service_of(user=user, subject=subject),
        row=_row,
        list_name="volunteers:volunteer_list",
        empty=gettext_lazy("没有志愿服务记录。"),
        actions=(
            Action(
                gettext_lazy("登记为志愿者"),
                url=action_url("volunteers:volunteer_create", households=False),
                permission=LOG_VOLUNTEER_HOURS,
            ),
        ),
    )
)
