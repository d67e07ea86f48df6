"""The API's list pagination: ninja's limit/offset with both bounds declared.

ninja's own ``LimitOffsetPagination`` leaves ``offset`` unbounded, so ``?offset=10**20`` reached
the database as an out-of-range integer and failed with a 500 (found by the API fuzzer). Here
both parameters are bounded in the schema, so such a request gets a 422 naming the parameter.
"""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja import pagination as ninja_pagination

MAX_OFFSET = 2**31 - 1


class LimitOffsetPagination(ninja_pagination.LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            getattr(settings, "NINJA_PAGINATION_PER_PAGE", 100),
            ge=1,
            le=getattr(settings, "NINJA_PAGINATION_MAX_LIMIT", 500),
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
