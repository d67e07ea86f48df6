"""How the drill-down page (and its export) shows the records behind a figure.

An app registers the columns of its models with :func:`drill_columns` in its ``metrics.py``;
a model without registered columns is shown by its text, its region and its first date. Columns
show masked personal data only (``id_masked``, ``phone_masked``), never the encrypted fields:
``defer=`` names a model's own encrypted fields, left unread by the page and the export, and
``prepare=`` loads related objects for a whole page (or export chunk) at once, with the people's
encrypted fields deferred.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wushe.core.models import RegionLevel


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Any], Any]
    width: int = 16


@dataclass(frozen=True)
class Presenter:
    columns: Sequence[Column]
    url: Callable[[Any], str] | None = None  # the record's own page (the first column links to it)
    prepare: Callable[[list[Any]], None] | None = None  # once per page: annotate the rows
    defer: Sequence[str] = ()  # fields the records are read without (the encrypted ones)


PRESENTERS: dict[type[models.Model], Presenter] = {}


def drill_columns(
    model: type[models.Model],
    columns: Sequence[Column],
    *,
    url: Callable[[Any], str] | None = None,
    prepare: Callable[[list[Any]], None] | None = None,
    defer: Sequence[str] = (),
) -> None:
    PRESENTERS[model] = Presenter(columns=columns, url=url, prepare=prepare, defer=defer)


def region_name(region: Any) -> str:
    """A region as a column shows it: a grid with its community (load ``region__parent``)."""
    if region is None:
        return ""
    if region.level == RegionLevel.GRID and region.parent is not None:
        return f"{region.parent.name} · {region.name}"
    return str(region.name)


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    """The local day of a moment (periods are counted in local days)."""
    if value is None:
        return None
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def yes_no(flag: bool) -> Any:
    return _("是") if flag else _("否")


def _region_of(obj: Any) -> str:
    path = getattr(type(obj), "scope_region_field", "")
    target = obj
    for part in path.split("__") if path else []:
        target = getattr(target, part, None)
        if target is None:
            return ""
    return str(getattr(target, "name", "")) if path and path != "id" else ""


def _first_date(obj: Any) -> Any:
    for f in obj._meta.concrete_fields:
        if isinstance(f, models.DateField | models.DateTimeField):
            value = getattr(obj, f.attname)
            return local_date(value) if isinstance(value, datetime.datetime) else value
    return ""


DEFAULT = Presenter(
    columns=[
        Column(_("记录"), str, 36),
        Column(_("所属区域"), _region_of, 20),
        Column(_("日期"), _first_date, 12),
    ]
)


def presenter_for(model: type[models.Model]) -> Presenter:
    for cls in model.__mro__:
        if cls in PRESENTERS:
            return PRESENTERS[cls]
    return DEFAULT


@dataclass
class Row:
    cells: list[Any]
    url: str


def rows_for(objects: list[Any], model: type[models.Model]) -> tuple[list[str], list[Row]]:
    """Column headings and the rows of one page of records."""
    p = presenter_for(model)
    if p.prepare is not None and objects:
        p.prepare(objects)
    headings = [str(c.label) for c in p.columns]
    rows = [Row(cells=[c.value(o) for c in p.columns], url=p.url(o) if p.url else "") for o in objects]
    return headings, rows


def prepared_rows(objects: Iterable[Any], presenter: Presenter, chunk: int = 2000) -> Iterator[Any]:
    """Records in chunks, each chunk annotated by the presenter's ``prepare`` (exports)."""
    batch: list[Any] = []
    for obj in objects:
        batch.append(obj)
        if len(batch) == chunk:
            if presenter.prepare:
                presenter.prepare(batch)
            yield from batch
            batch = []
    if batch and presenter.prepare:
        presenter.prepare(batch)
    yield from batch
