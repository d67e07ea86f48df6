"""What needs add to the home page (overdue and due-soon needs, referrals waiting for the
user's organization) and to the main menu."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import READ_NEEDS, WORK_NEEDS
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo, Tone, has_organization
from wushe.core.todos import register as register_todo

from . import selectors

register(MenuEntry("needs:need_list", gettext_lazy("需求清单"), group="lists", order=10, section="needs"))


def _need(need: Any) -> str:
    return _("%(category)s：%(text)s（期限 %(day)s）") % {
        "category": need.category.name,
        "text": need.description,
        "day": need.deadline.isoformat(),
    }


def _link(need: Any) -> str:
    return reverse("needs:need_detail", args=[need.pk])


def _list(query: str) -> Any:
    return lambda user: f"{reverse('needs:need_list')}?{query}"


register_todo(
    Todo(
        key="needs.overdue",
        label=gettext_lazy("逾期未办结的需求"),
        hint=gettext_lazy("分派给我、本单位或转介给本机构，已过办结期限"),
        records=selectors.needs_overdue_for,
        url=_list("mine=on&overdue=on"),
        applies=lambda user: user.has_perm(READ_NEEDS),
        describe=_need,
        link=_link,
        tone=Tone.OVERDUE,
        order=10,
    )
)
register_todo(
    Todo(
        key="needs.due_soon",
        label=gettext_lazy("即将到期的需求"),
        hint=gettext_lazy("分派给我、本单位或转介给本机构，期限临近"),
        records=selectors.needs_due_soon_for,
        url=_list("mine=on&due_soon=on"),
        applies=lambda user: user.has_perm(WORK_NEEDS),
        describe=_need,
        link=_link,
        tone=Tone.DUE,
        order=20,
    )
)
register_todo(
    Todo(
        key="needs.referrals",
        label=gettext_lazy("转介给本机构、待服务的需求"),
        hint=gettext_lazy("已对接到本机构的资源，尚未开始服务"),
        records=selectors.referrals_waiting,
        url=_list("status=matched&mine=on"),
        applies=lambda user: user.has_perm(WORK_NEEDS) and has_organization(user),
        describe=_need,
        link=_link,
        order=30,
    )
)
