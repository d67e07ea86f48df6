"""What the reports app adds to the main menu: the home page and the dashboard."""

from django.utils.translation import gettext_lazy as _

from wushe.core.nav import MenuEntry, register

register(MenuEntry("home", _("首页"), order=0))
register(MenuEntry("reports:dashboard", _("统计看板"), order=10, section="reports"))
