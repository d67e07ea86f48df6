"""Every write of the rental service (keyword-only, ``acting_user``, checked, in a transaction).

The catalogue and the sites are the street's lists (``MANAGE_LISTS``); lending, returning and
moving an item through 清洁消毒 and 检查维修 is service work (``RECORD_SERVICES``: the region's
workers and the site's organization). Every status change locks the item's row and records an
:class:`ItemEvent`; a rental is made only of an item found 在库 under that lock, so two workers
lending the same wheelchair at once cannot both succeed (and the database's one-open-rental
constraint holds it too)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS, RECORD_SERVICES
from wushe.core.checks import next_number, not_future, require_visible, text
from wushe.core.history import actor
from wushe.core.ledger import ZERO, balance, ledger_post, money
from wushe.core.models import Region
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.core.scoping import visible_or_above
from wushe.partners.models import Organization
from wushe.registry.facts import has_tag, household_has_tag
from wushe.registry.models import Person, PersonStatus

from .models import (
    Condition,
    DepositEntry,
    DeviceType,
    Item,
    ItemEvent,
    ItemStatus,
    Renewal,
    Rental,
    Site,
)

# the status an item may move to from each status by :func:`item_advance` (lending and returning
# move it between 在库, 出租 and 清洁消毒)
NEXT_STATUS: dict[str, tuple[str, ...]] = {
    ItemStatus.CLEANING: (ItemStatus.REPAIR,),
    ItemStatus.REPAIR: (ItemStatus.IN_STOCK, ItemStatus.SCRAPPED),
    ItemStatus.IN_STOCK: (ItemStatus.SCRAPPED,),
}


def waive_tags() -> tuple[str, ...]:
    """The group tags (of the person or the household) that waive the deposit: 低保 and 特困 by
    default, ``WUSHE_RENTAL_WAIVE_TAGS`` to change."""
    return tuple(getattr(settings, "WUSHE_RENTAL_WAIVE_TAGS", ("dibao", "tekun")))


def _organization(acting_user: User | None, organization: Organization, field: str) -> None:
    if not visible_or_above(Organization.objects.all(), acting_user).filter(pk=organization.pk).exists():
        raise ValidationError({field: _("所选机构不存在或不在您的管辖范围内")})


@transaction.atomic
def site_create(*, acting_user: User | None, region: Region, name: str, organization: Organization) -> Site:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    _organization(acting_user, organization, "organization")
    name = text(name, "name", max_length=100, required=True)
    if Site.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("本区域已有同名租赁点")})
    return Site.objects.create(region=region, name=name, organization=organization)


def _event(
    item: Item,
    to_status: str,
    *,
    acting_user: User | None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> None:
    ItemEvent.objects.create(
        item=item,
        from_status=item.status if item.pk and item.status != to_status else "",
        to_status=to_status,
        at=at or timezone.now(),
        by=actor(acting_user),
        note=note[:200],
    )


@transaction.atomic
def item_add(
    *,
    acting_user: User | None,
    site: Site,
    device_type: DeviceType,
    serial_number: str,
    acquired_on: datetime.date,
    model_name: str = "",
) -> Item:
    require_perm(acting_user, MANAGE_LISTS)
    require_visible(acting_user, site, "site")
    if not device_type.active:
        raise ValidationError({"device_type": _("该器具类别已停用")})
    serial_number = text(serial_number, "serial_number", max_length=40, required=True)
    not_future(acquired_on, "acquired_on")
    if Item.objects.filter(serial_number=serial_number).exists():
        raise ValidationError({"serial_number": _("编号已存在")})
    item = Item.objects.create(
        site=site,
        device_type=device_type,
        serial_number=serial_number,
        model_name=text(model_name, "model_name", max_length=60),
        acquired_on=acquired_on,
        status=ItemStatus.IN_STOCK,
    )
    ItemEvent.objects.create(
        item=item, to_status=ItemStatus.IN_STOCK, at=timezone.now(), by=actor(acting_user), note=_("入库")
    )
    return item


def lock_item(item: Item) -> Item:
    """The item's row, locked until the transaction ends (``of=self``: the join is not locked)."""
    return Item.objects.select_for_update(of=("self",)).select_related("device_type", "site").get(pk=item.pk)


def _move(item: Item, to_status: str, *, acting_user: User | None, note: str) -> Item:
    _event(item, to_status, acting_user=acting_user, note=note)
    item.status = to_status
    item.save(update_fields=["status"])
    return item


def waiver_reason_for(person: Person, day: datetime.date) -> str:
    """Why the person's deposit is waived by rule (a waiving tag of the person or the household), or ""."""
    for code in waive_tags():
        q = has_tag(code, day)
        if person.household_id:
            q |= household_has_tag(code, day)
        if Person.objects.filter(q, pk=person.pk).exists():
            from wushe.registry.models import Tag

            tag = Tag.objects.filter(code=code).first()
            return tag.name if tag else code
    return ""


@transaction.atomic
def rental_create(
    *,
    acting_user: User | None,
    person: Person,
    item: Item,
    assessed_by: Organization,
    assessed_on: datetime.date,
    assessment: str,
    started_on: datetime.date,
    due_on: datetime.date | None = None,
    deposit: Decimal | str | None = None,
    monthly_rent: Decimal | str | None = None,
    waive_deposit: bool = False,
    waiver_reason: str = "",
) -> Rental:
    """Lend ``item`` to ``person`` after the organization's assessment. The deposit (the
    catalogue's unless given) is taken as a ledger entry, or waived: by rule for 低保 / 特困, or
    by the worker with a reason."""
    require_perm(acting_user, RECORD_SERVICES)
    require_visible(acting_user, person, "person")
    require_visible(acting_user, item, "item")
    _organization(acting_user, assessed_by, "assessed_by")
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person": _("租用人不在册")})
    assessment = text(assessment, "assessment", max_length=500, required=True)
    not_future(assessed_on, "assessed_on")
    not_future(started_on, "started_on")
    if assessed_on > started_on:
        raise ValidationError({"assessed_on": _("评估日期不能晚于起租日期")})
    locked = lock_item(item)
    if locked.status != ItemStatus.IN_STOCK:
        raise ValidationError(
            {"item": _("该器具当前为“%(s)s”，在库后才能出租") % {"s": locked.get_status_display()}}
        )
    kind = locked.device_type
    due = due_on or started_on + datetime.timedelta(days=kind.loan_days)
    if due < started_on:
        raise ValidationError({"due_on": _("应还日期不能早于起租日期")})
    rent = money(kind.monthly_rent if monthly_rent in (None, "") else monthly_rent, field="monthly_rent")
    amount = money(kind.deposit if deposit in (None, "") else deposit, field="deposit")
    if rent < 0:
        raise ValidationError({"monthly_rent": _("租金不能为负数")})
    if amount < 0:
        raise ValidationError({"deposit": _("押金不能为负数")})
    reason = waiver_reason_for(person, started_on)
    if waive_deposit and not reason:
        reason = text(
            waiver_reason, "waiver_reason", max_length=100, required=True, message=_("免押金须填写原因")
        )
    waived = bool(reason)
    try:
        with transaction.atomic():
            rental = Rental.objects.create(
                number=next_number(Rental, f"ZL{started_on.year}-"),
                region=person.region,
                person=person,
                item=locked,
                assessed_by=assessed_by,
                assessed_on=assessed_on,
                assessment=assessment,
                deposit=ZERO if waived else amount,
                deposit_waived=waived,
                waiver_reason=reason,
                monthly_rent=rent,
                started_on=started_on,
                due_on=due,
                created_by=actor(acting_user),
            )
    except IntegrityError:  # the one-open-rental constraint: another rental of the item won
        raise ValidationError({"item": _("该器具已出租")}) from None
    _move(locked, ItemStatus.RENTED, acting_user=acting_user, note=rental.number)
    if not waived and amount > 0:
        ledger_post(
            model=DepositEntry,
            acting_user=acting_user,
            amount=amount,
            entry_type="deposit",
            occurred_on=started_on,
            memo=rental.number,
            rental=rental,
        )
    return rental


def _lock_rental(rental: Rental) -> Rental:
    return Rental.objects.select_for_update(of=("self",)).select_related("item").get(pk=rental.pk)


@transaction.atomic
def rental_renew(*, acting_user: User | None, rental: Rental, due_on: datetime.date) -> Rental:
    require_perm(acting_user, RECORD_SERVICES)
    require_visible(acting_user, rental, "rental")
    rental = _lock_rental(rental)
    if rental.returned_on is not None:
        raise ValidationError({"rental": _("该租赁已归还，不能续租")})
    if due_on <= rental.due_on:
        raise ValidationError({"due_on": _("新的应还日期须晚于原应还日期")})
    Renewal.objects.create(
        rental=rental,
        previous_due_on=rental.due_on,
        due_on=due_on,
        renewed_on=timezone.localdate(),
        by=actor(acting_user),
    )
    rental.due_on = due_on
    rental.save(update_fields=["due_on"])
    return rental


@transaction.atomic
def rental_return(
    *,
    acting_user: User | None,
    rental: Rental,
    returned_on: datetime.date,
    condition: str,
    note: str = "",
    deduction: Decimal | str = "0.00",
) -> Rental:
    """The item comes back (回收) and goes to 清洁消毒; the deposit is refunded, less a deduction
    for damage (both as ledger entries)."""
    require_perm(acting_user, RECORD_SERVICES)
    require_visible(acting_user, rental, "rental")
    rental = _lock_rental(rental)
    if rental.returned_on is not None:
        raise ValidationError({"rental": _("该租赁已归还")})
    not_future(returned_on, "returned_on")
    if returned_on < rental.started_on:
        raise ValidationError({"returned_on": _("归还日期不能早于起租日期")})
    if condition not in Condition.values:
        raise ValidationError({"condition": _("请选择归还状况")})
    note = text(
        note, "note", max_length=200, required=condition == Condition.DAMAGED, message=_("损坏须说明情况")
    )
    kept = money(deduction or "0.00", field="deduction")
    held = balance(DepositEntry.objects.filter(rental=rental))
    if kept < 0 or kept > held:
        raise ValidationError({"deduction": _("抵扣金额须在0到押金余额%(b)s元之间") % {"b": held}})
    rental.returned_on = returned_on
    rental.return_condition = condition
    rental.return_note = note
    rental.save(update_fields=["returned_on", "return_condition", "return_note"])
    item = lock_item(rental.item)
    _move(item, ItemStatus.CLEANING, acting_user=acting_user, note=_("回收：%(n)s") % {"n": rental.number})
    for amount, entry_type in ((kept, "deduction"), (held - kept, "refund")):
        if amount > 0:
            ledger_post(
                model=DepositEntry,
                acting_user=acting_user,
                amount=-amount,
                entry_type=entry_type,
                occurred_on=returned_on,
                memo=rental.number,
                rental=rental,
            )
    return rental


@transaction.atomic
def item_advance(*, acting_user: User | None, item: Item, to_status: str, note: str = "") -> Item:
    """清洁消毒 done → 检查维修; 检查维修 passed → 在库 (or 报废); an item in stock may be scrapped."""
    require_perm(acting_user, RECORD_SERVICES)
    require_visible(acting_user, item, "item")
    locked = lock_item(item)
    allowed = NEXT_STATUS.get(locked.status, ())
    if to_status not in allowed:
        raise ValidationError(
            {
                "to_status": _("器具当前为“%(s)s”，不能转为“%(t)s”")
                % {
                    "s": locked.get_status_display(),
                    "t": ItemStatus(to_status).label if to_status in ItemStatus.values else to_status,
                }
            }
        )
    note = text(
        note, "note", max_length=200, required=to_status == ItemStatus.SCRAPPED, message=_("报废须说明原因")
    )
    return _move(locked, to_status, acting_user=acting_user, note=note)
