"""What the registry adds to the home page (the community ledger's changes) and to the main menu
(residents, households, the four-colour ledger)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wushe.accounts.roles import MANAGE_PERSONS, Role
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Tone, holds, register_listed

from . import selectors

register(
    MenuEntry(
        "registry:person_list", gettext_lazy("居民名单"), group="residents", order=10, section="registry"
    )
)
register(MenuEntry("registry:household_list", pgettext_lazy("list", "户"), group="residents", order=15))
register(MenuEntry("registry:ledger", gettext_lazy("四色台账"), group="residents", order=20))


def _person(person: Any) -> str:
    return _("%(name)s（%(region)s，%(status)s）") % {
        "name": person.name,
        "region": person.region.name,
        "status": person.get_status_display(),
    }


register_listed(
    "registry.changes",
    gettext_lazy("近30天台账变动"),
    hint=gettext_lazy("新登记的居民（补全档案）和迁出、死亡的居民"),
    records=selectors.ledger_changes_for,
    applies=lambda user: (
        user.has_perm(MANAGE_PERSONS) and holds(user, Role.COMMUNITY_STAFF, Role.STREET_ADMIN)
    ),
    list_url="registry:person_list",
    query=f"status=all&changed={selectors.LEDGER_CHANGE_DAYS}",
    detail_url="registry:person_detail",
    describe=_person,
    tone=Tone.NEWS,
    order=80,
)
