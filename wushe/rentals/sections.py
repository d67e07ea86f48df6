"""Assistive-device rentals on a person's page (``core.sections``), with the action to lend one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import READ_LISTS, RECORD_SERVICES
from wushe.core.checks import today
from wushe.core.sections import Action, Row, Section, listed, register

from .models import Rental
from .selectors import rental_list


def _row(r: Rental) -> Row:
    late = r.returned_on is None and r.due_on < today()
    if r.returned_on:
        status, tone = _("已归还"), "secondary"
    elif late:
        status, tone = _("逾期未还"), "danger"
    else:
        status, tone = _("在租"), "success"
    return Row(
        title=f"{r.started_on:%Y-%m-%d} {r.item.device_type.label} {r.item.serial_number}",
        url=reverse("rentals:rental_detail", args=[r.pk]),
        meta=_("应还%(d)s") % {"d": r.due_on.isoformat()},
        status=str(status),
        tone=tone,
    )


def _person(subject: Any, user: Any) -> dict[str, Any]:
    return listed(rental_list(user=user).filter(person_id=subject.pk), row=_row, empty=_("没有租用记录。"))


register(
    Section(
        key="rentals",
        title=gettext_lazy("辅助器具租用"),
        order=112,
        person=_person,
        permission=READ_LISTS,
        actions=(
            Action(
                gettext_lazy("出租辅助器具"),
                url=lambda kind, subject: reverse("rentals:rental_create", args=[subject.pk]),
                permission=RECORD_SERVICES,
            ),
        ),
    )
)
