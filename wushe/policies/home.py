"""What 政策找人 adds to the main menu."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from wushe.core.nav import MenuEntry, register

register(MenuEntry("policies:policy_list", gettext_lazy("政策找人"), group="services", order=85))
