"""What the funds add to the home page (requests waiting for my vote; approved requests waiting
for payment) and to the main menu (社区慈善基金)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import APPROVE_DISBURSEMENT, PAY_DISBURSEMENT
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo
from wushe.core.todos import register as register_todo

from . import selectors

register(MenuEntry("funds:fund_list", gettext_lazy("社区慈善基金"), group="services", order=80))


def _describe(d: Any) -> str:
    return _("%(fund)s：%(purpose)s %(amount)s元") % {
        "fund": d.fund.name,
        "purpose": d.purpose,
        "amount": d.amount,
    }


def _link(d: Any) -> str:
    return reverse("funds:disbursement_detail", args=[d.pk])


register_todo(
    Todo(
        key="funds.to_vote",
        label=gettext_lazy("待我表决的基金支出申请"),
        hint=gettext_lazy("我所在的基金管委会收到的申请，过半数成员同意即批准"),
        records=selectors.waiting_for_vote,
        url=lambda user: reverse("funds:fund_list"),
        applies=lambda user: user.has_perm(APPROVE_DISBURSEMENT),
        describe=_describe,
        link=_link,
        order=80,
    )
)
register_todo(
    Todo(
        key="funds.to_pay",
        label=gettext_lazy("待支付的基金支出"),
        hint=gettext_lazy("管委会已批准的申请；支付人不能是审批人"),
        records=selectors.waiting_for_payment,
        url=lambda user: reverse("funds:fund_list"),
        applies=lambda user: user.has_perm(PAY_DISBURSEMENT),
        describe=_describe,
        link=_link,
        order=81,
    )
)
