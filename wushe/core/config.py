"""Configuration sections: the installation's reference data that operators and street
administrators keep on wushe's settings pages (``/settings/``) — group tags, need categories,
the ledger colours, the working calendar, the step limits.

Each app declares its sections in its own ``config.py`` (found at start-up, like the metrics):

    register(ConfigSection(key="tags", title=_("人员类别"), model=Tag, fields=("code", "name", …)))

The pages (``core.config_views``) list, add, change and delete rows of a section through
``core.services.config_save`` / ``config_delete``, which check the ``CONFIGURE`` capability,
validate, write, and record an access event of kind ``config`` with what changed. A section's
``on_change`` runs after every write (e.g. the working calendar drops its cache).

These tables are installation-wide reference data, not records about people: they carry no
region, and every user may read them; writing them is the ``CONFIGURE`` capability's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise

CONFIGURE = "core.configure"


@dataclass(frozen=True)
class ConfigSection:
    key: str
    title: str | Promise
    model: type[models.Model]
    fields: tuple[str, ...]
    help: str | Promise = ""
    deletable: bool = True
    on_change: Callable[[], Any] | None = None
    widgets: dict[str, Any] = field(default_factory=dict)
    notes: Callable[[], list[str]] | None = None  # what the section's page says, computed when shown


SECTIONS: dict[str, ConfigSection] = {}


def register(section: ConfigSection) -> ConfigSection:
    SECTIONS[section.key] = section
    return section


def section_for(key: str) -> ConfigSection | None:
    return SECTIONS.get(key)
