"""What needs add to the home page (overdue and due-soon needs, referrals waiting for the
user's organization) and to the main menu."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
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
        "category": need.category.label,
        "text": need.description,
        "day": need.deadline.isoformat(),
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
    """A to-do listed by the need list with ``query``, each need named and linked."""
    register_todo(
        Todo(
            key=f"needs.{key}",
            label=label,
            hint=hint,
            records=records,
            url=lambda user: f"{reverse('needs:need_list')}?{query}",
            applies=applies,
            describe=_need,
            link=lambda need: reverse("needs:need_detail", args=[need.pk]),
            **kw,
        )
    )


_todo(
    "overdue",
    gettext_lazy("逾期未办结的需求"),
    gettext_lazy("分派给我、本单位或转介给本机构，已过办结期限"),
    selectors.needs_overdue_for,
    "mine=on&overdue=on",
    lambda user: user.has_perm(READ_NEEDS),
    tone=Tone.OVERDUE,
    order=10,
)
_todo(
    "due_soon",
    gettext_lazy("即将到期的需求"),
    gettext_lazy("分派给我、本单位或转介给本机构，期限临近"),
    selectors.needs_due_soon_for,
    "mine=on&due_soon=on",
    lambda user: user.has_perm(WORK_NEEDS),
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
