"""What the case, group and activity pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from wushe.accounts.roles import RECORD_SERVICES
from wushe.core.listing import Listing
from wushe.core.models import AREA_LEVELS, Region
from wushe.registry.selectors import region_picker


def area_regions(request: HttpRequest) -> list[Region]:
    """The regions a group or an activity may be recorded in (communities and grids in scope)."""
    return region_picker(user=request.user, levels=AREA_LEVELS)


def can_record(request: HttpRequest, listing: Listing) -> dict[str, Any]:
    """A list page's extra: whether the user may record (the 'new' button)."""
    return {"can_record": request.user.has_perm(RECORD_SERVICES)}
