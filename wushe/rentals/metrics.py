"""Figures of the rental service, computed from the records, with their drill-down."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.checks import today
from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.metrics import Scope, metric, rate
from wushe.registry.models import Person

from .models import Item, ItemStatus, Rental


def _people() -> Prefetch[Any]:
    return Prefetch("person", queryset=Person.objects.defer("id_number", "phone", "contact_phone"))


def _items(scope: Scope) -> Any:
    return scope.of(Item.objects.exclude(status=ItemStatus.SCRAPPED))


@metric(
    "rentals.items",
    label=_("租赁辅助器具"),
    unit=pgettext_lazy("unit", "件"),
    definition=_("租赁点在用的辅助器具数（不含报废）"),
    records=_items,
    period="none",
)
def rentals_items(scope: Scope) -> int:
    return int(_items(scope).count())


def _active(scope: Scope) -> Any:
    day = scope.end or today()
    qs = scope.of(Rental.objects.filter(started_on__lte=day))
    return qs.filter(Q(returned_on__isnull=True) | Q(returned_on__gt=day))


@metric(
    "rentals.active",
    label=_("在租辅助器具"),
    unit=pgettext_lazy("unit", "件"),
    definition=_("期末尚未归还的租赁单数"),
    records=_active,
    period="as_of",
)
def rentals_active(scope: Scope) -> int:
    return int(_active(scope).count())


def _overdue(scope: Scope) -> Any:
    return scope.of(Rental.objects.filter(returned_on__isnull=True, due_on__lt=today()))


@metric(
    "rentals.overdue",
    label=_("逾期未还"),
    unit=pgettext_lazy("unit", "件"),
    definition=_("已过应还日期仍未归还的租赁单数"),
    records=_overdue,
    period="none",
)
def rentals_overdue(scope: Scope) -> int:
    return int(_overdue(scope).count())


def _rented(records: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    return records.filter(status=ItemStatus.RENTED)


@metric(
    "rentals.utilization",
    label=_("辅助器具利用率"),
    unit="%",
    definition=_("在用辅助器具（不含报废）中正在出租的比例"),
    records=_items,
    numerator=_rented,
    period="none",
)
def rentals_utilization(scope: Scope) -> Decimal | None:
    items = _items(scope)
    return rate(_rented(items, scope).count(), items.count())


drill_columns(
    Item,
    [
        Column(_("编号"), lambda i: i.serial_number, 16),
        Column(_("器具类别"), lambda i: i.device_type.label, 14),
        Column(_("租赁点"), lambda i: i.site.name, 24),
        Column(_("状态"), lambda i: i.get_status_display(), 10),
        Column(_("入库日期"), lambda i: i.acquired_on, 12),
    ],
    url=lambda i: reverse("rentals:item_detail", args=[i.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "device_type", "site"),
)

drill_columns(
    Rental,
    [
        Column(_("租赁单号"), lambda r: r.number, 14),
        Column(_("租用人"), lambda r: r.person.name, 12),
        Column(_("器具"), lambda r: f"{r.item.device_type.label} {r.item.serial_number}", 24),
        Column(_("所属区域"), lambda r: region_name(r.region), 24),
        Column(_("起租日期"), lambda r: r.started_on, 12),
        Column(_("应还日期"), lambda r: r.due_on, 12),
        Column(_("归还日期"), lambda r: r.returned_on or "", 12),
    ],
    url=lambda r: reverse("rentals:rental_detail", args=[r.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, _people(), "item__device_type", "region__parent"),
)
