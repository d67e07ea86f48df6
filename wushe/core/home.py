"""The groups of the main menu (``core.nav``); each app puts its pages into them in its own
``home.py``. Few groups, short labels: the bar must hold them beside the user's name and 退出登录
at 1366 px in English too."""

from django.utils.translation import gettext_lazy as _

from .nav import MenuGroup, register_group

register_group(MenuGroup("residents", _("居民"), order=20))
register_group(MenuGroup("visits", _("走访"), order=30))
register_group(MenuGroup("lists", _("四项清单"), order=40))
register_group(MenuGroup("services", _("服务工作"), order=50))
