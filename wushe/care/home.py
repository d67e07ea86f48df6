"""What the care plans add to the main menu (照护计划)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from wushe.core.nav import MenuEntry, register

register(MenuEntry("care:plan_list", gettext_lazy("照护计划"), group="services", order=82, section="care"))
