"""What consent adds to the main menu: the report of sensitive data held without consent or basis."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from wushe.core.nav import MenuEntry, register

register(
    MenuEntry("consent:report", gettext_lazy("同意与依据"), group="residents", order=25, section="consent")
)
