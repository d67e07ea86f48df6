"""Every read of the rental service, scoped to the user (``visible_to``): items, rentals, the
overdue list, deposits and utilisation per type and site."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from wushe.core.checks import today
from wushe.core.ledger import balance
from wushe.core.metrics import rate
from wushe.core.models import translated_name
from wushe.core.scoping import ScopedQuerySet, get_visible_or_404
from wushe.registry.models import Person

from .models import DepositEntry, DeviceType, Item, ItemStatus, Rental, Site

PERSON_SECRETS = ("person__id_number", "person__phone", "person__contact_phone")

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


@dataclass
class ItemFilters:
    q: str = ""
    site: int | None = None
    device_type: int | None = None
    status: str = ""


def item_list(*, user: AnyUser, filters: ItemFilters | None = None) -> ScopedQuerySet[Item]:
    f = filters or ItemFilters()
    qs = Item.objects.visible_to(user).select_related("site", "device_type")
    if f.site:
        qs = qs.filter(site_id=f.site)
    if f.device_type:
        qs = qs.filter(device_type_id=f.device_type)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        qs = qs.filter(Q(serial_number__icontains=f.q) | Q(device_type__name__contains=f.q))
    return qs


def get_item_for_user(user: AnyUser, pk: int) -> Item:
    return get_visible_or_404(Item.objects.select_related("site", "device_type"), user, pk=pk)


def site_list(*, user: AnyUser) -> ScopedQuerySet[Site]:
    return Site.objects.visible_to(user).select_related("region", "organization")


def device_types(*, active_only: bool = True) -> list[DeviceType]:
    qs = DeviceType.objects.all()
    return list(qs.filter(active=True) if active_only else qs)


def overdue_q(day: datetime.date | None = None) -> Q:
    return Q(returned_on__isnull=True, due_on__lt=day or today())


@dataclass
class RentalFilters:
    q: str = ""
    open: bool = False
    overdue: bool = False
    item: int | None = None


def rental_list(*, user: AnyUser, filters: RentalFilters | None = None) -> ScopedQuerySet[Rental]:
    f = filters or RentalFilters()
    qs = Rental.objects.visible_to(user).select_related(
        "person", "item__device_type", "item__site", "assessed_by", "region"
    )
    if f.open:
        qs = qs.filter(returned_on__isnull=True)
    if f.overdue:
        qs = qs.filter(overdue_q())
    if f.item:
        qs = qs.filter(item_id=f.item)
    if f.q:
        qs = qs.filter(
            Q(person__name__contains=f.q) | Q(number__icontains=f.q) | Q(item__serial_number__icontains=f.q)
        )
    return qs.defer(*PERSON_SECRETS)


def rentals_overdue(user: AnyUser) -> ScopedQuerySet[Rental]:
    """The rentals past their due date and not returned (the home page's to-do, the list's filter)."""
    return rental_list(user=user, filters=RentalFilters(overdue=True)).order_by("due_on", "id")


def get_rental_for_user(user: AnyUser, pk: int) -> Rental:
    qs = Rental.objects.select_related("person", "item__device_type", "item__site", "assessed_by", "region")
    return get_visible_or_404(qs.defer(*PERSON_SECRETS), user, pk=pk)


def get_person_for_user(user: AnyUser, pk: int) -> Person:
    return get_visible_or_404(Person.objects.defer("id_number", "phone", "contact_phone"), user, pk=pk)


def deposit_held(rental: Rental) -> Decimal:
    return balance(DepositEntry.objects.filter(rental=rental))


@dataclass
class Utilisation:
    site: str
    device_type: str
    items: int  # not scrapped
    rented: int

    @property
    def percent(self) -> Decimal | None:
        return rate(self.rented, self.items)


def utilisation(*, user: AnyUser) -> list[Utilisation]:
    """Per site and type: the items in service (not scrapped) and those out on rental, one query."""
    rows = (
        item_list(user=user)
        .exclude(status=ItemStatus.SCRAPPED)
        .order_by()
        .values("site__name", "device_type__name", "device_type__name_en")
        .annotate(items=Count("id"), rented=Count("id", filter=Q(status=ItemStatus.RENTED)))
        .order_by("site__name", "device_type__name")
    )
    return [
        Utilisation(
            r["site__name"],
            translated_name(r["device_type__name"], r["device_type__name_en"]),
            r["items"],
            r["rented"],
        )
        for r in rows
    ]
