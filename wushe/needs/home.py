"""What needs add to the home page (overdue and due-soon needs, referrals waiting for the
user's organization) and to the main menu."""

import functools
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import READ_NEEDS, WORK_NEEDS
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo, Tone, has_organization, register_listed
from wushe.core.todos import register as register_todo

from . import selectors

register(MenuEntry("needs:need_list", gettext_lazy("需求清单"), group="lists", order=10, section="needs"))


def _need(need: Any) -> str:
    return _("%(category)s：%(text)s（期限 %(day)s）") % {
        "category": need.category.label,
        "text": need.description,
        "day": need.deadline.isoformat(),
    }


_todo = functools.partial(
    register_listed, list_url="needs:need_list", detail_url="needs:need_detail", describe=_need
)


_todo(
    "needs.overdue",
    gettext_lazy("逾期未办结的需求"),
    hint=gettext_lazy("分派给我、本单位或转介给本机构，已过办结期限"),
    records=selectors.needs_overdue_for,
    query="mine=on&overdue=on",
    applies=lambda user: user.has_perm(READ_NEEDS),
    tone=Tone.OVERDUE,
    order=10,
)
_todo(
    "needs.due_soon",
    gettext_lazy("即将到期的需求"),
    hint=gettext_lazy("分派给我、本单位或转介给本机构，期限临近"),
    records=selectors.needs_due_soon_for,
    query="mine=on&due_soon=on",
    applies=lambda user: user.has_perm(WORK_NEEDS),
    tone=Tone.DUE,
    order=20,
)


def _referral(referral: Any) -> str:
    return _("%(category)s：%(text)s（%(org)s）") % {
        "category": referral.need.category.label,
        "text": referral.need.description,
        "org": referral.organization.name,
    }


# Referrals waiting for the user's organization to accept or return them (selectors.WAITING).
register_todo(
    Todo(
        key="needs.referrals",
        label=gettext_lazy("转介给本机构、待接收的需求"),
        hint=gettext_lazy("社工转介给本机构的需求：查看居民和联系方式，接收或退回"),
        records=lambda user: selectors.referrals_waiting(user=user),
        url=lambda user: reverse("needs:referral_list"),
        applies=lambda user: user.has_perm(WORK_NEEDS) and has_organization(user),
        describe=_referral,
        link=lambda referral: reverse("needs:need_detail", args=[referral.need_id]),
        order=30,
    )
)
