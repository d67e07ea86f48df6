"""Columns other apps add to the household list (户) and its export: the registry shows a
household's last visit without importing the visits app.

An app above the registry registers a column in its own start-up module (``sections.py``)::

    register_household_column(HouseholdColumn(
        key="last_visit",
        label=_("最近走访"),
        values=lambda ids: {...},  # household id -> value, one query for a page of households
    ))

The list page (``registry.household_views.HOUSEHOLDS``) and the drill-down's columns of
``Household`` (which the list's export writes, ``core.exports.records_response``) show each
registered column after their own, in the order registered; ``values`` reads only the ids it is
given (a page, or a chunk of an export), so a column costs one query per page whatever its size.
A household without a value shows "—" (an empty cell in the export).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wushe.core.drill import Column, drill_columns, region_name

from .models import Household, LedgerColour
from .selectors import household_colours, masked_people


@dataclass(frozen=True)
class HouseholdColumn:
    key: str
    label: str | Promise
    values: Callable[[Sequence[int]], dict[int, Any]]  # household ids -> value (one query)
    width: int = 12


_COLUMNS: dict[str, HouseholdColumn] = {}


def household_columns() -> tuple[HouseholdColumn, ...]:
    return tuple(_COLUMNS.values())


def register_household_column(column: HouseholdColumn) -> None:
    """Add (or replace, by key) a column of the household list and its export."""
    _COLUMNS[column.key] = column
    _register_drill()


def unregister_household_column(key: str) -> None:
    _COLUMNS.pop(key, None)
    _register_drill()


def with_columns(households: list[Household]) -> list[Household]:
    """Give each household of a page ``ledger_colours`` (the colours of its registered members'
    certificates in force, ``(value, label)`` in the ledger's order) and ``extra`` (each
    registered column's value, by key): one query, and one per registered column."""
    ids = [h.pk for h in households]
    colours = household_colours(ids) if ids else {}
    labels = dict(LedgerColour.choices)
    values = {c.key: c.values(ids) if ids else {} for c in household_columns()}
    for h in households:
        h.ledger_colours = [(c, str(labels[c])) for c in colours.get(h.pk, [])]
        h.extra = {key: found.get(h.pk) for key, found in values.items()}
        h.extra_cells = [h.extra[c.key] for c in household_columns()]
    return households


def _prepare(households: list[Any]) -> None:
    """A page of the drill-down (or a chunk of an export): members without their encrypted
    columns (the household is named by its head), regions, colours and the registered columns."""
    prefetch_related_objects(households, masked_people("members"), "region__parent")
    with_columns(households)


def _extra(key: str) -> Callable[[Any], Any]:
    return lambda h: (getattr(h, "extra", None) or {}).get(key)


def _register_drill() -> None:
    drill_columns(
        Household,
        [
            Column(_("户"), str, 16),
            Column(_("住址"), lambda h: h.address, 36),
            Column(
                _("在册成员"), lambda h: h.active_members, 8
            ),  # kept by the services, as the figure reads it
            Column(_("所属区域"), lambda h: region_name(h.region), 24),
            Column(_("台账颜色"), lambda h: "、".join(label for _c, label in h.ledger_colours), 10),
            *(Column(c.label, _extra(c.key), c.width) for c in household_columns()),
        ],
        url=lambda h: reverse("registry:household_detail", args=[h.pk]),
        prepare=_prepare,
    )


_register_drill()
