"""What the rental service adds to the home page (rentals past their due date) and to the main
menu (辅助器具租赁)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import READ_LISTS
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Tone, register_listed

from . import selectors

register(
    MenuEntry(
        "rentals:item_list", gettext_lazy("辅助器具租赁"), group="services", order=84, section="rentals"
    )
)


def _describe(r: Any) -> str:
    return _("%(person)s：%(item)s，应还%(due)s") % {
        "person": r.person.name,
        "item": r.item.device_type.label,
        "due": r.due_on.isoformat(),
    }


register_listed(
    "rentals.overdue",
    gettext_lazy("逾期未还的辅助器具"),
    hint=gettext_lazy("已过应还日期仍未归还的租赁单：联系续租或归还"),
    records=selectors.rentals_overdue,
    applies=lambda user: user.has_perm(READ_LISTS),
    list_url="rentals:rental_list",
    query="overdue=on",
    detail_url="rentals:rental_detail",
    describe=_describe,
    tone=Tone.OVERDUE,
    order=84,
)
