"""What visits add to the home page (the households to visit) and to the main menu."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import RECORD_OUTREACH
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import register_listed, sees_regions

from . import selectors

register(MenuEntry("visits:visit_list", gettext_lazy("走访记录"), group="visits", order=10, section="visits"))
register(MenuEntry("visits:coverage", gettext_lazy("待走访名单"), group="visits", order=20))
register(MenuEntry("visits:offline", gettext_lazy("离线走访"), group="visits", order=30))


def _household(h: Any) -> str:
    name = _("%(name)s户") % {"name": h.head_name} if h.head_name else (h.address or _("未登记户主"))
    if not h.last_visit:
        return _("%(name)s（%(region)s，从未走访）") % {"name": name, "region": h.region.name}
    return _("%(name)s（%(region)s，上次走访 %(day)s）") % {
        "name": name,
        "region": h.region.name,
        "day": h.last_visit.isoformat(),
    }


register_listed(
    "visits.not_visited",
    gettext_lazy("待走访的户"),
    hint=gettext_lazy("我负责的网格里超过规定天数没有走访的户"),
    records=selectors.households_to_visit,
    applies=lambda user: user.has_perm(RECORD_OUTREACH) and sees_regions(user),
    list_url="visits:coverage",
    query="",
    detail_url="registry:household_detail",
    describe=_household,
    order=40,
)
