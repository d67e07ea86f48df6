"""What volunteers add to the home page (hours waiting for the leader's verification) and to
the main menu (volunteers, teams)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import Role
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo, holds
from wushe.core.todos import register as register_todo

from . import selectors

register(
    MenuEntry(
        "volunteers:volunteer_list", gettext_lazy("志愿者"), group="services", order=60, section="volunteers"
    )
)
register(MenuEntry("volunteers:team_list", gettext_lazy("志愿服务队"), group="services", order=70))


def _record(record: Any) -> str:
    return _("%(day)s %(name)s %(hours)s 小时：%(content)s") % {
        "day": record.on.isoformat(),
        "name": record.volunteer.name,
        "hours": record.hours,
        "content": record.content,
    }


def _where(user: Any) -> str:
    """The team's page (its pending records) when the user leads one team, else the teams."""
    teams = selectors.led_team_ids(user)
    if len(teams) == 1:
        return reverse("volunteers:team_detail", args=[teams[0]]) + "#pending"
    return reverse("volunteers:team_list")


register_todo(
    Todo(
        key="volunteers.to_verify",
        label=gettext_lazy("待我核实的服务时长"),
        hint=gettext_lazy("本队志愿者填报的服务记录，核实后计入时长"),
        records=selectors.records_to_verify,
        url=_where,
        applies=lambda user: holds(user, Role.TEAM_LEADER),
        describe=_record,
        link=lambda record: reverse("volunteers:volunteer_detail", args=[record.volunteer_id]),
        order=70,
    )
)
