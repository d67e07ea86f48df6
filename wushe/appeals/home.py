"""What residents' requests add to the home page (requests waiting at the user's step, those
overdue, and for those who supervise every overdue request) and to the main menu."""

import functools
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import HANDLE_APPEALS, Role
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Tone, holds, register_listed

from . import selectors
from .models import STEP_ORDER, Step

register(
    MenuEntry("appeals:appeal_list", gettext_lazy("居民诉求"), group="services", order=40, section="appeals")
)
register(MenuEntry("appeals:studio_list", gettext_lazy("代表委员工作室"), group="services", order=50))


def _appeal(appeal: Any) -> str:
    after = STEP_ORDER.index(appeal.step) + 1
    next_step = Step(STEP_ORDER[after]).label if after < len(STEP_ORDER) else ""
    return _("%(number)s 待%(step)s（期限 %(day)s）") % {
        "number": appeal.number,
        "step": next_step,
        "day": appeal.due_on.isoformat() if appeal.due_on else "—",
    }


_todo = functools.partial(
    register_listed, list_url="appeals:appeal_list", detail_url="appeals:appeal_detail", describe=_appeal
)


def _handles(user: Any) -> bool:
    return bool(user.has_perm(HANDLE_APPEALS))


_todo(
    "appeals.waiting",
    gettext_lazy("等我办理的诉求"),
    hint=gettext_lazy("下一步由我方（工作室、责任单位或社区）办理"),
    records=selectors.appeals_waiting_for,
    query="mine=on",
    applies=_handles,
    order=60,
)
_todo(
    "appeals.waiting_overdue",
    gettext_lazy("等我办理的逾期诉求"),
    hint=gettext_lazy("下一步已过期限"),
    records=selectors.appeals_overdue_waiting_for,
    query="mine=on&overdue=on",
    applies=_handles,
    tone=Tone.OVERDUE,
    order=15,
)
_todo(
    "appeals.overdue",
    gettext_lazy("辖区内逾期的诉求（督办）"),
    hint=gettext_lazy("辖区内所有已过步骤期限的诉求"),
    records=selectors.appeals_overdue_in_scope,
    query="overdue=on",
    applies=lambda user: holds(user, Role.STREET_ADMIN, Role.LEADER),
    tone=Tone.OVERDUE,
    order=17,
)
