"""A list page's export as the reports write it: the drill-down's columns of the list's model
(``records_response``), for users holding the export permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise

from wushe.accounts.roles import EXPORT_LEDGER
from wushe.core.exports import records_response
from wushe.core.listing import Export


def list_export(name: str | Promise, key: str, *, obj: Callable[[Any], Any] | None = None) -> Export:
    """The .xlsx export of a :class:`~wushe.core.listing.ListPage`: ``name`` titles the sheet and
    the file, ``key`` names the list in the access event, ``obj(filters)`` the region filtered on."""
    return Export(name=name, key=key, permission=EXPORT_LEDGER, response=records_response, obj=obj)


def filtered_region(filters: Any) -> Any:
    """The region a list's filters name (in the export's title, file name and access event)."""
    return filters.region
