"""What case work adds to the home page (cases with a step or a return visit due) and to the
main menu (cases, groups, activities)."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_SERVICES
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo, Tone, sees_regions
from wushe.core.todos import register as register_todo

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


def _case_list_url(query: str) -> Callable[[Any], str]:
    """The case list with the to-do's filter; a region worker's own cases (只看我负责的)."""

    def url(user: Any) -> str:
        return f"{reverse('casework:case_list')}?{query}{'&mine=on' if sees_regions(user) else ''}"

    return url


for key, label, hint, records, query, order in (
    (
        "due",
        gettext_lazy("到期待办的个案"),
        gettext_lazy("我负责（或本机构承接）的个案，下一步已到期"),
        selectors.cases_due_for,
        "due=on",
        50,
    ),
    (
        "follow_up",
        gettext_lazy("回访到期的个案"),
        gettext_lazy("已结案，近30天内到了回访日期"),
        selectors.follow_ups_due_for,
        "follow_up=on",
        55,
    ),
):
    register_todo(
        Todo(
            key=f"casework.{key}",
            label=label,
            hint=hint,
            records=records,
            url=_case_list_url(query),
            applies=lambda user: user.has_perm(RECORD_SERVICES),
            describe=_case,
            link=lambda case: reverse("casework:case_detail", args=[case.pk]),
            tone=Tone.DUE,
            order=order,
        )
    )
