"""The visits of a person or a household on their pages (``core.sections``): the latest, and
recording one from there; and the household list's column of the latest visit
(``registry.household_columns``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.sections import Action, Row, register
from wushe.registry.household_columns import HouseholdColumn, register_household_column
from wushe.registry.subjects import action_url, records_section

from .models import Visit
from .selectors import VisitFilters, last_visits, visit_list


def _row(visit: Visit) -> Row:
    details = [visit.region.name, str(visit.created_by or _("系统"))]
    if visit.key_problem:
        details.insert(0, visit.key_problem)
    return Row(
        title=f"{visit.visited_on:%Y-%m-%d} {visit.get_channel_display()}",
        url=reverse("visits:visit_detail", args=[visit.pk]),
        meta=" · ".join(details),
        status=str(_("已入户") if visit.reached else _("未敲开")),
        tone="success" if visit.reached else "warning",
    )


register(
    records_section(
        key="visits",
        title=gettext_lazy("五门一声走访"),
        order=40,
        records=lambda user, subject: visit_list(user=user, filters=VisitFilters(subject=subject)),
        row=_row,
        list_name="visits:visit_list",
        empty=gettext_lazy("还没有走访记录。"),
        # a person's visit takes the person's household
        actions=(
            Action(
                gettext_lazy("记录走访"), url=action_url("visits:visit_create"), permission=RECORD_OUTREACH
            ),
        ),
    )
)

# the household list (户) shows each household's latest visit
register_household_column(
    HouseholdColumn(key="last_visit", label=gettext_lazy("最近走访"), values=last_visits)
)
