"""What residents' requests add to the home page (requests waiting at the user's step, those
overdue, and for those who supervise every overdue request) and to the main menu."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import HANDLE_APPEALS, Role
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo, Tone, holds
from wushe.core.todos import register as register_todo

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


def _todo(
    key: str,
    label: Promise,
    hint: Promise,
    records: Callable[[Any], QuerySet[Any]],
    query: str,
    applies: Callable[[Any], bool],
    **kw: Any,
) -> None:
    """A to-do listed by the request list with ``query``, each request named and linked."""
    register_todo(
        Todo(
            key=f"appeals.{key}",
            label=label,
            hint=hint,
            records=records,
            url=lambda user: f"{reverse('appeals:appeal_list')}?{query}",
            applies=applies,
            describe=_appeal,
            link=lambda appeal: reverse("appeals:appeal_detail", args=[appeal.pk]),
            **kw,
        )
    )


def _handles(user: Any) -> bool:
    return bool(user.has_perm(HANDLE_APPEALS))


_todo(
    "waiting",
    gettext_lazy("等我办理的诉求"),
    gettext_lazy("下一步由我方（工作室、责任单位或社区）办理"),
    selectors.appeals_waiting_for,
    "mine=on",
    _handles,
    order=60,
)
_todo(
    "waiting_overdue",
    gettext_lazy("等我办理的逾期诉求"),
    gettext_lazy("下一步已过期限"),
    selectors.appeals_overdue_waiting_for,
    "mine=on&overdue=on",
    _handles,
    tone=Tone.OVERDUE,
    order=15,
)
_todo(
    "overdue",
    gettext_lazy("辖区内逾期的诉求（督办）"),
    gettext_lazy("辖区内所有已过步骤期限的诉求"),
    selectors.appeals_overdue_in_scope,
    "overdue=on",
    lambda user: holds(user, Role.STREET_ADMIN, Role.LEADER),
    tone=Tone.OVERDUE,
    order=17,
)
