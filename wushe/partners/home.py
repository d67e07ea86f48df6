"""What the partners app adds to the home page (resources to renew or replenish) and to the main
menu (resources, responsibility units)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.nav import MenuEntry, register
from wushe.core.todos import Tone, register_listed, sees_regions

from . import selectors

register(
    MenuEntry("partners:resource_list", gettext_lazy("资源清单"), group="lists", order=20, section="partners")
)
register(MenuEntry("partners:responsibility_list", gettext_lazy("责任清单"), group="lists", order=40))


def _resource(resource: Any) -> str:
    if resource.remaining == 0:
        return _("%(name)s（%(provider)s，已用完）") % {
            "name": resource.name,
            "provider": resource.provider.name,
        }
    return _("%(name)s（%(provider)s，%(day)s 到期）") % {
        "name": resource.name,
        "provider": resource.provider.name,
        "day": resource.available_to.isoformat() if resource.available_to else "—",
    }


register_listed(
    "partners.resources",
    gettext_lazy("需续约或补充的资源"),
    hint=gettext_lazy("本辖区已用完或 30 天内到期的资源"),
    records=selectors.resources_needing_attention,
    applies=lambda user: user.has_perm(MANAGE_LISTS) and sees_regions(user),
    list_url="partners:resource_list",
    query="attention=on",
    detail_url="partners:resource_detail",
    describe=_resource,
    tone=Tone.DUE,
    order=85,
)
