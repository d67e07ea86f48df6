"""Care plans on a person's and a household's pages (``core.sections``), with the action to draw
up a plan for the person."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import READ_CASES, RECORD_OUTREACH
from wushe.core.sections import Action, Row, Section, listed, register

from .models import CarePlan
from .selectors import plan_list


def _row(p: CarePlan) -> Row:
    return Row(
        title=f"{p.started_on:%Y-%m-%d} {p.get_kind_display()} · {p.person.name}",
        url=reverse("care:plan_detail", args=[p.pk]),
        meta=_("服务机构：%(o)s") % {"o": p.provider.name},
        status=str(_("已结束") if p.ended_on else _("进行中")),
        tone="secondary" if p.ended_on else "success",
    )


def _reader(field: str) -> Any:
    def read(subject: Any, user: Any) -> dict[str, Any]:
        plans = plan_list(user=user).filter(**{field: subject.pk})
        return listed(plans, row=_row, empty=_("没有照护计划。"))

    return read


register(
    Section(
        key="care",
        title=gettext_lazy("照护计划"),
        order=110,
        person=_reader("person_id"),
        household=_reader("household_id"),
        permission=READ_CASES,
        actions=(
            Action(
                gettext_lazy("建立照护计划"),
                url=lambda kind, subject: (
                    reverse("care:plan_create", args=[subject.pk]) if kind == "person" else None
                ),
                permission=RECORD_OUTREACH,
            ),
        ),
    )
)
