"""What the subsidies add to the home page (applications waiting for my step) and the menu."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import APPROVE_SUBSIDY_COUNTY, REVIEW_SUBSIDY_COUNTY
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo
from wushe.core.todos import register as register_todo

from . import selectors
from .access import street_admin_anywhere

register(MenuEntry("subsidies:index", gettext_lazy("残疾人两项补贴"), group="services", order=85))


def _describe(a: Any) -> str:
    return _("%(p)s：%(k)s（%(s)s）") % {
        "p": a.person.name,
        "k": a.get_kind_display(),
        "s": a.get_status_display(),
    }


register_todo(
    Todo(
        key="subsidies.waiting",
        label=gettext_lazy("待我办理的补贴申请"),
        hint=gettext_lazy("乡镇（街道）初审、县残联审核、县民政审定"),
        records=selectors.waiting,
        url=lambda user: reverse("subsidies:index"),
        applies=lambda user: (
            user.has_perm(REVIEW_SUBSIDY_COUNTY)
            or user.has_perm(APPROVE_SUBSIDY_COUNTY)
            or street_admin_anywhere(user)
        ),
        describe=_describe,
        link=lambda a: reverse("subsidies:application_detail", args=[a.pk]),
        order=85,
    )
)
