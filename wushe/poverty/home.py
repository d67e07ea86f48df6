"""What the poverty work adds to the home page (warnings to confirm, overdue leads) and to the
main menu (入户核查, 防返贫监测)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Todo
from wushe.core.todos import register as register_todo

from . import selectors

register(MenuEntry("poverty:check_list", gettext_lazy("入户核查"), group="services", order=90))
register(MenuEntry("poverty:object_list", gettext_lazy("防返贫监测"), group="services", order=91))

register_todo(
    Todo(
        key="poverty.warnings",
        label=gettext_lazy("待确认的返贫预警"),
        hint=gettext_lazy("预警规则发现的风险，确认后转为监测线索，或写明原因排除"),
        records=selectors.open_warnings,
        url=lambda user: reverse("poverty:warning_list"),
        applies=lambda user: user.has_perm(RECORD_OUTREACH),
        describe=lambda w: f"{w.household}：{w.reason}",
        link=lambda w: reverse("poverty:warning_list"),
        order=90,
    )
)


def _overdue(user: Any) -> Any:
    return selectors.overdue_leads(user=user)


register_todo(
    Todo(
        key="poverty.overdue",
        label=gettext_lazy("超期的监测线索"),
        hint=gettext_lazy("线索之日起15天内须完成县级审定"),
        records=_overdue,
        url=lambda user: reverse("poverty:lead_list") + "?overdue=1",
        applies=lambda user: user.has_perm(RECORD_OUTREACH),
        describe=lambda lead: (
            _("%(h)s：待%(s)s，期限%(d)s")
            % {"h": lead.household, "s": lead.get_stage_display(), "d": lead.deadline}
        ),
        link=lambda lead: reverse("poverty:lead_detail", args=[lead.pk]),
        order=91,
    )
)
