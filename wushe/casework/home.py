"""What case work adds to the home page (cases with a step or a return visit due) and to the
main menu (cases, groups, activities)."""

import functools
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_SERVICES
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Tone, register_listed, sees_regions

from . import selectors

register(
    MenuEntry("casework:case_list", gettext_lazy("个案"), group="services", order=10, section="casework")
)
register(MenuEntry("casework:group_list", gettext_lazy("小组"), group="services", order=20))
register(MenuEntry("casework:activity_list", gettext_lazy("社区活动"), group="services", order=30))


def _case(case: Any) -> str:
    return _("%(number)s %(stage)s（%(day)s）") % {
        "number": case.number,
        "stage": case.get_stage_display(),
        "day": case.next_due.isoformat() if case.next_due else "",
    }


def _mine(query: str) -> Any:
    """The case list with the to-do's filter: a region worker's own cases (只看我负责的), an
    organization's staff's every case of the organization (its scope)."""
    return lambda user: f"{query}&mine=on" if sees_regions(user) else query


_todo = functools.partial(
    register_listed,
    list_url="casework:case_list",
    detail_url="casework:case_detail",
    describe=_case,
    applies=lambda user: user.has_perm(RECORD_SERVICES),
    tone=Tone.DUE,
)
_todo(
    "casework.due",
    gettext_lazy("到期待办的个案"),
    hint=gettext_lazy("我负责（或本机构承接）的个案，下一步已到期"),
    records=selectors.cases_due_for,
    query=_mine("due=on"),
    order=50,
)
_todo(
    "casework.follow_up",
    gettext_lazy("回访到期的个案"),
    hint=gettext_lazy("已结案，近30天内到了回访日期"),
    records=selectors.follow_ups_due_for,
    query=_mine("follow_up=on"),
    order=55,
)
