"""A wheelchair goes out, comes back, passes 清洁消毒 and 检查维修 and is rented again, and cannot
be rented in between; deposits as ledger entries; renewals, the overdue list, the checks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from wushe.core.appendonly import AppendOnlyError
from wushe.core.checks import today
from wushe.registry.household_tags import household_tags_set
from wushe.registry.services import household_create
from wushe.rentals import selectors
from wushe.rentals.models import DepositEntry, ItemStatus, Rental
from wushe.rentals.services import item_advance, rental_renew, rental_return

from .conftest import lend

pytestmark = pytest.mark.django_db


def _status(item: Any) -> str:
    item.refresh_from_db()
    return str(item.status)


def test_a_wheelchair_goes_round_and_cannot_be_rented_in_between(rw: Any) -> None:
    first = lend(rw, rw.chair, user=rw.worker_a, started_on=today() - datetime.timedelta(days=30))
    assert _status(rw.chair) == ItemStatus.RENTED
    with pytest.raises(ValidationError) as e:
        lend(rw, rw.chair, person=rw.person_b)
    assert "item" in e.value.message_dict
    rental_return(acting_user=rw.staff, rental=first, returned_on=today(), condition="worn")
    assert _status(rw.chair) == ItemStatus.CLEANING
    for step, status in ((None, ItemStatus.CLEANING), (ItemStatus.REPAIR, ItemStatus.REPAIR)):
        if step:
            item_advance(acting_user=rw.staff, item=rw.chair, to_status=step, note="消毒完成")
        assert _status(rw.chair) == status
        with pytest.raises(ValidationError) as e:
            lend(rw, rw.chair, person=rw.person_b)
        assert "item" in e.value.message_dict
    with pytest.raises(ValidationError) as e:  # not straight back to stock from 清洁消毒
        item_advance(acting_user=rw.staff, item=rw.chair2, to_status=ItemStatus.REPAIR)
    assert "to_status" in e.value.message_dict
    item_advance(acting_user=rw.staff, item=rw.chair, to_status=ItemStatus.IN_STOCK, note="检查合格")
    second = lend(rw, rw.chair, person=rw.person_b, user=rw.admin)
    assert _status(rw.chair) == ItemStatus.RENTED and second.item_id == first.item_id
    steps = list(rw.chair.events.values_list("from_status", "to_status"))
    assert steps == [
        ("", "in_stock"),
        ("in_stock", "rented"),
        ("rented", "cleaning"),
        ("cleaning", "repair"),
        ("repair", "in_stock"),
        ("in_stock", "rented"),
    ]
    with pytest.raises(AppendOnlyError):
        rw.chair.events.first().delete()


def test_cleaning_cannot_be_skipped(rw: Any) -> None:
    r = lend(rw, rw.chair)
    rental_return(acting_user=None, rental=r, returned_on=today(), condition="good")
    with pytest.raises(ValidationError):
        item_advance(acting_user=None, item=rw.chair, to_status=ItemStatus.IN_STOCK)
    item_advance(acting_user=None, item=rw.chair, to_status=ItemStatus.REPAIR)
    with pytest.raises(ValidationError) as e:  # scrapping says why
        item_advance(acting_user=None, item=rw.chair, to_status=ItemStatus.SCRAPPED)
    assert "note" in e.value.message_dict
    item_advance(acting_user=None, item=rw.chair, to_status=ItemStatus.SCRAPPED, note="车架断裂")
    with pytest.raises(ValidationError):
        item_advance(acting_user=None, item=rw.chair, to_status=ItemStatus.IN_STOCK)


def test_one_open_rental_per_item_in_the_database(rw: Any) -> None:
    r = lend(rw, rw.chair)
    copy = Rental(
        number="ZL-X", region=r.region, person=rw.person_b, item=rw.chair, assessed_by=rw.station,
        assessed_on=today(), assessment="x", deposit=0, monthly_rent=0, started_on=today(), due_on=today(),
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_deposit_taken_and_refunded_as_entries(rw: Any) -> None:
    r = lend(rw, rw.chair, started_on=today() - datetime.timedelta(days=10))
    assert r.deposit == Decimal("300.00") and r.monthly_rent == Decimal("20.00") and not r.deposit_waived
    assert selectors.deposit_held(r) == Decimal("300.00")
    with pytest.raises(ValidationError) as e:
        rental_return(
            acting_user=None,
            rental=r,
            returned_on=today(),
            condition="damaged",
            note="扶手断",
            deduction="300.01",
        )
    assert "deduction" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        rental_return(acting_user=None, rental=r, returned_on=today(), condition="damaged")
    assert "note" in e.value.message_dict
    rental_return(
        acting_user=None, rental=r, returned_on=today(), condition="damaged", note="扶手断", deduction="50.00"
    )
    entries = list(DepositEntry.objects.filter(rental=r).values_list("entry_type", "amount"))
    assert entries == [
        ("deposit", Decimal("300.00")),
        ("deduction", Decimal("-50.00")),
        ("refund", Decimal("-250.00")),
    ]
    assert selectors.deposit_held(r) == Decimal("0.00")
    with pytest.raises(AppendOnlyError):
        DepositEntry.objects.filter(rental=r).update(amount=1)
    with pytest.raises(ValidationError):  # returned once
        rental_return(acting_user=None, rental=r, returned_on=today(), condition="good")


def test_deposit_waived_for_dibao_or_with_a_reason(rw: Any) -> None:
    household = household_create(acting_user=None, head=rw.person)
    household_tags_set(
        acting_user=None, household=household, tags=["dibao"], on=today() - datetime.timedelta(days=5)
    )
    rw.person.refresh_from_db()
    r = lend(rw, rw.chair)
    assert r.deposit_waived and r.waiver_reason == "低保" and r.deposit == 0
    assert not DepositEntry.objects.filter(rental=r).exists()
    with pytest.raises(ValidationError) as e:
        lend(rw, rw.chair2, person=rw.person_b, waive_deposit=True)
    assert "waiver_reason" in e.value.message_dict
    r2 = lend(rw, rw.chair2, person=rw.person_b, waive_deposit=True, waiver_reason="重度残疾孤老")
    assert r2.deposit_waived and r2.waiver_reason == "重度残疾孤老"


def test_renewal_and_the_overdue_list(rw: Any) -> None:
    r = lend(
        rw,
        rw.chair,
        started_on=today() - datetime.timedelta(days=100),
        due_on=today() - datetime.timedelta(days=10),
    )
    assert list(selectors.rentals_overdue(rw.worker_a)) == [r]
    assert list(selectors.rentals_overdue(rw.worker_b)) == []
    with pytest.raises(ValidationError) as e:
        rental_renew(acting_user=rw.worker_a, rental=r, due_on=r.due_on)
    assert "due_on" in e.value.message_dict
    r = rental_renew(acting_user=rw.worker_a, rental=r, due_on=today() + datetime.timedelta(days=30))
    assert r.renewals.get().previous_due_on == today() - datetime.timedelta(days=10)
    assert list(selectors.rentals_overdue(rw.worker_a)) == []


def test_checks_and_scope(rw: Any, tree: Any) -> None:
    with pytest.raises(ValidationError) as e:  # 乙社区's worker does not see 甲社区's resident
        lend(rw, rw.chair, user=rw.worker_b)
    assert "person" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        lend(rw, rw.chair, assessed_on=today(), started_on=today() + datetime.timedelta(days=1))
    assert "started_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        lend(rw, rw.chair, due_on=today() - datetime.timedelta(days=1))
    assert "due_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        lend(rw, rw.chair, deposit="1.234")
    assert "deposit" in e.value.message_dict
    assert not Rental.objects.exists() and _status(rw.chair) == ItemStatus.IN_STOCK
    # the street's site serves its communities; the other street's site is closed to them
    assert set(selectors.item_list(user=rw.worker_a)) == {rw.chair, rw.chair2}
    assert selectors.site_list(user=rw.worker_a).filter(pk=rw.other_site.pk).count() == 0
