"""Every read of the registry, scoped to the user through ``visible_to``: a package by concern —
``persons`` (the list, the search, a person's page and history), ``households``, ``ledger`` (the
four-colour ledger), ``regions`` (the pickers' regions and tags, residents per community) and
``base`` (what they share). Importers keep ``registry.selectors.<name>``."""

from __future__ import annotations

from .base import (
    CJK,
    LIST_DEFER,
    SENSITIVE,
    categories_of_colour,
    certificates_valid,
    colour_labels,
    colour_map,
    is_sensitive_query,
    masked_people,
)
from .households import (
    MEMBER_ORDER,
    HouseholdFilters,
    get_household_for_user,
    heads_prefetch,
    household_changes,
    household_colours,
    household_list,
    household_members,
    household_pick,
    household_tag_rows,
    member_open_tags,
    named_households,
    with_heads,
)
from .ledger import (
    LedgerCounts,
    ledger_counts,
    ledger_rows,
)
from .persons import (
    LEDGER_CHANGE_DAYS,
    HistoryEntry,
    PersonFilters,
    PersonsQS,
    current_certificate,
    get_person_for_user,
    ledger_changed,
    ledger_changes_for,
    open_tags,
    person_history,
    person_list,
    search_persons,
    sees_registry,
    with_current_certificates,
)
from .regions import (
    person_counts_by_community,
    region_picker,
    tag_list,
)

__all__ = [
    "CJK",
    "HistoryEntry",
    "HouseholdFilters",
    "LEDGER_CHANGE_DAYS",
    "LIST_DEFER",
    "LedgerCounts",
    "MEMBER_ORDER",
    "PersonFilters",
    "PersonsQS",
    "SENSITIVE",
    "categories_of_colour",
    "certificates_valid",
    "colour_labels",
    "colour_map",
    "current_certificate",
    "get_household_for_user",
    "get_person_for_user",
    "heads_prefetch",
    "household_changes",
    "household_colours",
    "household_list",
    "household_members",
    "household_pick",
    "household_tag_rows",
    "is_sensitive_query",
    "ledger_changed",
    "ledger_changes_for",
    "ledger_counts",
    "ledger_rows",
    "masked_people",
    "member_open_tags",
    "named_households",
    "open_tags",
    "person_counts_by_community",
    "person_history",
    "person_list",
    "region_picker",
    "search_persons",
    "sees_registry",
    "tag_list",
    "with_current_certificates",
    "with_heads",
]
