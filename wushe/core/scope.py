"""The scope a figure is computed for: a region, the user whose scope applies (``None`` for the
operator's command line) and an optional period; re-exported by :mod:`wushe.core.metrics`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db.models import DateTimeField, Field, ForeignObjectRel, Model, QuerySet
from django.utils import timezone

from wushe.core.models import Region
from wushe.core.scoping import ScopedQuerySet, subtree_ids

if TYPE_CHECKING:
    from django.contrib.contenttypes.fields import GenericForeignKey

    from wushe.core.types import AnyUser

Q = TypeVar("Q", bound=Model)
T = TypeVar("T")


@dataclass
class Scope:
    region: Region
    user: AnyUser | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)  # with the shifted copies

    def of(self, qs: ScopedQuerySet[Q]) -> ScopedQuerySet[Q]:
        """``qs`` narrowed to the user's scope and to the region's subtree (its region ids read
        once for the scope and its shifted copies)."""
        return qs.visible_in(self.user, self.region, self.region_ids)

    @property
    def region_ids(self) -> list[int] | None:
        """The ids of the region's subtree (``core.scoping.subtree_ids``), read once for the scope
        and its shifted copies."""
        return self.memo("region.ids", lambda: subtree_ids(self.region), shared=True)

    def in_period(self, qs: QuerySet[Q], date_field: str) -> QuerySet[Q]:
        """``qs`` narrowed to the records whose ``date_field`` (a date or a datetime, read in the
        local time zone) lies within ``start``–``end`` (both days included; open ends are open).
        A datetime is compared with the local midnights around the days, so its index serves."""
        f = model_field(qs.model, date_field)
        if isinstance(f, DateTimeField):
            if self.start is not None:
                qs = qs.filter(**{f"{date_field}__gte": local_midnight(self.start)})
            if self.end is not None:
                qs = qs.filter(**{f"{date_field}__lt": local_midnight(self.end + datetime.timedelta(days=1))})
            return qs
        if self.start is not None:
            qs = qs.filter(**{f"{date_field}__gte": self.start})
        if self.end is not None:
            qs = qs.filter(**{f"{date_field}__lte": self.end})
        return qs

    def memo(self, key: str, fn: Callable[[], T], *, shared: bool = False) -> T:
        """Share one query among the metrics that read from it (the ledger colours).
        ``shared=True`` for a value that does not depend on the period (the households with a
        registered member): the scope's shifted copies — the dashboard's comparisons and
        months, computed in the same call — then read it once for all."""
        store = self._shared if shared else self._memo
        if key not in store:
            store[key] = fn()
        return cast(T, store[key])  # stored by this key's own fn

    def shifted(self, start: datetime.date | None, end: datetime.date | None) -> Scope:
        """The same region and user over another period (comparisons), with its own memo
        (and the values of ``memo(shared=True)`` in common)."""
        return Scope(region=self.region, user=self.user, start=start, end=end, _shared=self._shared)


def model_field(
    model: type[Model], path: str
) -> Field[Any, Any] | ForeignObjectRel | GenericForeignKey | None:
    """The model field at the end of ``path`` (``person__created_at``), or None."""
    try:
        for part in path.split("__")[:-1]:
            related = model._meta.get_field(part).related_model
            if not isinstance(related, type):  # not a relation
                return None
            model = related
        return model._meta.get_field(path.split("__")[-1])
    except Exception:
        return None


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
