"""The append-only ledger base (core.ledger), through a concrete ledger that exists only here.

``TestEntry`` is registered under an app label that is not installed, so migrations and the
checks never see it; its table is created once per test database with the schema editor,
outside the tests' transactions (SQLite's schema editor refuses to run inside one)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models

from wushe.core.appendonly import AppendOnlyError
from wushe.core.ledger import LedgerEntry, balance, balances_by_period, ledger_post, ledger_reverse


class TestEntry(LedgerEntry):
    account = models.CharField(max_length=20)
    region = models.ForeignKey("core.Region", null=True, on_delete=models.PROTECT, related_name="+")
    scope_region_field: ClassVar[str] = "region"
    __test__: ClassVar[bool] = False  # not a test class, whatever its name

    class Meta(LedgerEntry.Meta):
        app_label = "ledgertest"


D = datetime.date


@pytest.fixture(scope="module")
def ledger_table(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(TestEntry)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(TestEntry)


@pytest.fixture
def ledger(ledger_table: None, users: Any) -> Any:
    return users


def post(amount: str, on: D, account: str = "fund-1", entry_type: str = "donation", **kw: Any) -> TestEntry:
    return ledger_post(
        model=TestEntry, acting_user=kw.pop("user", None), amount=Decimal(amount),
        entry_type=entry_type, occurred_on=on, account=account, **kw,
    )  # fmt: skip


def test_an_entry_is_appended_with_who_and_when(ledger: Any) -> None:
    entry = post("120.50", D(2025, 3, 4), user=ledger.worker_a, memo=" 爱心捐款 ")
    entry.refresh_from_db()
    assert entry.amount == Decimal("120.50") and isinstance(entry.amount, Decimal)
    assert (entry.recorded_by, entry.memo, entry.account) == (ledger.worker_a, "爱心捐款", "fund-1")
    assert entry.recorded_at is not None


def test_entries_are_never_updated_or_deleted(ledger: Any) -> None:
    entry = post("10.00", D(2025, 1, 1))
    entry.amount = Decimal("99.00")
    with pytest.raises(AppendOnlyError, match="ledger entries are append-only"):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        TestEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(AppendOnlyError):
        TestEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        TestEntry.objects.bulk_update([entry], ["amount"])
    assert TestEntry.objects.get().amount == Decimal("10.00")


@pytest.mark.parametrize("bad", [0.1, "1.005", "abc", "NaN", 0, "1e20"])
def test_amounts_are_exact_cents_never_float(ledger: Any, bad: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        ledger_post(
            model=TestEntry,
            acting_user=None,
            amount=bad,
            entry_type="x",
            occurred_on=D(2025, 1, 1),
            account="a",
        )
    assert "amount" in caught.value.message_dict
    assert not TestEntry.objects.exists()


def test_a_reversal_is_the_opposite_entry_and_the_original_stays(ledger: Any) -> None:
    entry = post("300.00", D(2025, 2, 1), account="fund-7", region=None)
    reversal = ledger_reverse(
        entry, acting_user=ledger.worker_b, reason="重复录入", occurred_on=D(2025, 2, 3)
    )
    assert (reversal.amount, reversal.reverses, reversal.account) == (Decimal("-300.00"), entry, "fund-7")
    assert (reversal.entry_type, reversal.memo, reversal.recorded_by) == (
        "donation",
        "重复录入",
        ledger.worker_b,
    )
    assert TestEntry.objects.get(pk=entry.pk).amount == Decimal("300.00")
    assert TestEntry.objects.get(**{"reverses": entry}) == reversal  # by dict: see core.ledger
    assert balance(TestEntry.objects.filter(**{"account": "fund-7"})) == Decimal("0.00")


def test_an_entry_is_reversed_once_and_a_reversal_never(ledger: Any) -> None:
    entry = post("50.00", D(2025, 2, 1))
    reversal = ledger_reverse(entry, acting_user=None, reason="错账")
    with pytest.raises(ValidationError, match="已被冲正"):
        ledger_reverse(entry, acting_user=None, reason="再冲一次")
    with pytest.raises(ValidationError, match="不能再被冲正"):
        ledger_reverse(reversal, acting_user=None, reason="冲正的冲正")
    with pytest.raises(ValidationError) as caught:
        ledger_reverse(post("5.00", D(2025, 2, 1)), acting_user=None, reason="  ")
    assert "reason" in caught.value.message_dict
    assert TestEntry.objects.count() == 3


def test_balance_sums_exactly_in_the_database_as_of_a_day(ledger: Any) -> None:
    for _ in range(30):  # 0.1 thirty times is not 3 in binary floating point
        post("0.10", D(2025, 1, 10))
    post("-1.05", D(2025, 1, 20))
    post("1000.00", D(2025, 1, 10), account="other")
    mine = TestEntry.objects.filter(**{"account": "fund-1"})
    assert balance(mine) == Decimal("1.95")
    assert mine.balance(as_of=D(2025, 1, 15)) == Decimal("3.00")
    assert balance(mine, as_of=D(2024, 12, 31)) == Decimal("0.00")
    assert isinstance(balance(mine), Decimal)


def test_balances_by_month_quarter_and_year(ledger: Any) -> None:
    post("100.00", D(2024, 12, 31))
    post("200.00", D(2025, 1, 5))
    post("-30.50", D(2025, 1, 25))
    post("40.00", D(2025, 3, 1))
    post("-9.50", D(2025, 4, 2))
    entries = TestEntry.objects.all()
    months = balances_by_period(entries, "month")
    assert [(p.start, p.opening, p.inflow, p.outflow, p.closing) for p in months] == [
        (D(2024, 12, 1), Decimal("0.00"), Decimal("100.00"), Decimal("0.00"), Decimal("100.00")),
        (D(2025, 1, 1), Decimal("100.00"), Decimal("200.00"), Decimal("30.50"), Decimal("269.50")),
        (D(2025, 3, 1), Decimal("269.50"), Decimal("40.00"), Decimal("0.00"), Decimal("309.50")),
        (D(2025, 4, 1), Decimal("309.50"), Decimal("0.00"), Decimal("9.50"), Decimal("300.00")),
    ]
    quarters = balances_by_period(entries, "quarter")
    assert [(p.start, p.closing) for p in quarters] == [
        (D(2024, 10, 1), Decimal("100.00")),
        (D(2025, 1, 1), Decimal("309.50")),
        (D(2025, 4, 1), Decimal("300.00")),
    ]
    year = balances_by_period(
        entries.filter(occurred_on__year=2025), "year", opening=balance(entries, D(2024, 12, 31))
    )
    assert year == [
        (D(2025, 1, 1), Decimal("100.00"), Decimal("240.00"), Decimal("40.00"), Decimal("300.00"))
    ]
    assert all(isinstance(v, Decimal) for p in months for v in p[1:])
    with pytest.raises(ValueError):
        balances_by_period(entries, "week")  # type: ignore[arg-type]  # a period it refuses, on purpose


def test_the_ledger_is_scoped_by_its_region(ledger: Any, tree: Any) -> None:
    post("1.00", D(2025, 1, 1), region=tree.community_a)
    post("2.00", D(2025, 1, 1), region=tree.community_c)
    assert TestEntry.objects.visible_to(ledger.worker_a).balance() == Decimal("1.00")
    assert not TestEntry.objects.visible_to(ledger.nobody).exists()
