"""What projects add to the main menu."""

from django.utils.translation import gettext_lazy as _

from wushe.core.nav import MenuEntry, register

register(MenuEntry("projects:project_list", _("项目清单"), group="lists", order=30, section="projects"))
