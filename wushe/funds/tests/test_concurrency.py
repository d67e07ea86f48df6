"""50 concurrent payments against one fund on PostgreSQL, each thread on its own connection: the
fund's row lock queues them, so the balance never goes below zero and no request is paid twice.
SQLite serialises writers anyway: skipped there."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import PersonFactory
from wushe.funds.models import Disbursement, DisbursementStatus, FundEntry
from wushe.funds.services import (
    disbursement_approve,
    disbursement_pay,
    disbursement_request,
    donation_record,
    pool_balances,
)
from wushe.registry.services import household_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("configuration_back"),  # tests/fixtures.py
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locking"),
]

THREADS = 50


def _run(targets: list[Disbursement], payer: Any) -> list[str]:
    barrier = threading.Barrier(len(targets))
    results: list[str] = []
    lock = threading.Lock()

    def pay(i: int, d: Disbursement) -> None:
        try:
            barrier.wait()
            disbursement_pay(
                acting_user=payer,
                disbursement=Disbursement.objects.get(pk=d.pk),
                method="银行转账",
                voucher_number=f"PZ{i}",
            )
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        except Exception as exc:  # noqa: BLE001 — reported below
            outcome = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=pay, args=(i, d)) for i, d in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _approved(fw: Any, n: int, amount: str) -> list[Disbursement]:
    hh = household_create(acting_user=None, head=PersonFactory(region=fw.fund.region))
    out = []
    for _ in range(n):
        d = disbursement_request(acting_user=None, fund=fw.fund, amount=amount, purpose="助困", household=hh)
        for m in fw.members[1:4]:
            d = disbursement_approve(acting_user=m, disbursement=d)
        out.append(d)
    return out


def test_fifty_concurrent_payments_never_overdraw(fw: Any) -> None:
    donation_record(
        acting_user=None,
        fund=fw.fund,
        amount="2000.00",
        donated_on=fw.fund.opened_on,
        channel="bank",
        donor_kind="anonymous",
    )
    requests = _approved(fw, THREADS, "100.00")  # 5000 asked of 2000
    results = _run(requests, fw.payer)
    assert sorted(results) == ["ok"] * 20 + ["refused"] * 30, results
    assert pool_balances(fw.fund) == {"": Decimal("0.00")}
    assert Disbursement.objects.filter(status=DisbursementStatus.PAID).count() == 20


def test_fifty_concurrent_payments_of_one_request_pay_it_once(fw: Any) -> None:
    donation_record(
        acting_user=None,
        fund=fw.fund,
        amount="2000.00",
        donated_on=fw.fund.opened_on,
        channel="bank",
        donor_kind="anonymous",
    )
    (one,) = _approved(fw, 1, "100.00")
    results = _run([one] * THREADS, fw.payer)
    assert sorted(results) == ["ok"] + ["refused"] * (THREADS - 1), results
    assert FundEntry.objects.filter(disbursement=one).count() == 1
    assert pool_balances(fw.fund) == {"": Decimal("1900.00")}
