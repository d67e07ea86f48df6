"""The funds' to-dos (my votes, payments waiting) and figures (computed again from their records)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.factories import PersonFactory
from tests.home_support import todo
from wushe.core.metrics import Scope, compute, recompute
from wushe.funds.services import (
    disbursement_approve,
    disbursement_pay,
    disbursement_request,
    donation_record,
    entry_reverse,
)
from wushe.registry.services import household_create

from .test_services import D, give

KEYS = (
    "funds",
    "funds.raised",
    "funds.spent",
    "funds.balance",
    "funds.projects",
    "donations.amount",
    "donations.in_kind",
    "donations.count",
    "donors",
)


def test_votes_and_payments_waiting(fw: Any) -> None:
    give(fw, "500.00")
    hh = household_create(acting_user=None, head=PersonFactory(region=fw.fund.region))
    d = disbursement_request(
        acting_user=fw.staff, fund=fw.fund, amount="300.00", purpose="助学", household=hh
    )
    assert todo(fw.members[2], "funds.to_vote").count == 1
    for m in fw.members[1:4]:
        disbursement_approve(acting_user=m, disbursement=d)
    assert todo(fw.members[4], "funds.to_vote").count == 0
    item = todo(fw.payer, "funds.to_pay")
    assert item.count == 1 and item.first[0].url == f"/funds/disbursements/{d.pk}/"


def test_figures_come_from_the_records(fw: Any, tree: Any) -> None:
    a = give(fw, "1000.00", donor_name="甲")
    give(fw, "200.00", donor_name="乙")
    give(fw, "50.00", donor_name="甲")
    give(fw, "300.00", channel="in_kind", item="米面油")
    mistake = give(fw, "99.00", donor_name="丙")
    entry_reverse(acting_user=fw.staff, entry=mistake.entry, reason="录错")
    hh = household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    donation_record(
        acting_user=None, household=hh, amount="800.00", donated_on=D, channel="bank", donor_kind="anonymous"
    )
    from tests.outreach_factories import make_org, make_project

    project = make_project(make_org(tree.community_a), tree.community_a)
    d = disbursement_request(acting_user=None, fund=fw.fund, amount="400.00", purpose="资助", project=project)
    for m in fw.members[1:4]:
        d = disbursement_approve(acting_user=m, disbursement=d)
    disbursement_pay(acting_user=fw.payer, disbursement=d, method="转账", voucher_number="1")
    scope = Scope(region=tree.street)
    figures = compute(scope)
    values = {k: figures[k].value for k in KEYS}
    assert values == {
        "funds": 2,
        "funds.raised": Decimal("1250.00"),
        "funds.spent": Decimal("400.00"),
        "funds.balance": Decimal("850.00"),
        "funds.projects": 1,
        "donations.amount": Decimal("2050.00"),
        "donations.in_kind": Decimal("300.00"),
        "donations.count": 5,
        "donors": 4,  # 甲 (twice), 乙, 张三 (the goods), the household's anonymous donor; 丙 reversed
    }
    for key in KEYS:
        assert recompute(key, scope) == figures[key].value, key
    assert a.receipt
