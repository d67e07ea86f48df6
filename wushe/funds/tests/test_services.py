from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from wushe.core.appendonly import AppendOnlyError
from wushe.funds.models import Channel, DisbursementStatus, DonorKind, FundEntry, FundRule, Restriction
from wushe.funds.services import (
    committee_set,
    disbursement_approve,
    disbursement_pay,
    disbursement_reject,
    disbursement_request,
    donation_record,
    entry_reverse,
    fund_close,
    fund_create,
    pool_balances,
)
from wushe.partners.models import OrganizationKind
from wushe.registry.services import household_create

D = datetime.date(2025, 3, 1)


def give(fw: Any, amount: str, **kw: Any) -> Any:
    kw.setdefault("donor_kind", DonorKind.OUTSIDER)
    kw.setdefault("donor_name", "张三")
    kw.setdefault("channel", Channel.BANK)
    return donation_record(acting_user=fw.staff, fund=fw.fund, amount=amount, donated_on=D, **kw)


def approved(fw: Any, amount: str, **kw: Any) -> Any:
    hh = kw.pop("household", None)
    if hh is None and "project" not in kw and "person" not in kw:
        hh = household_create(acting_user=None, head=PersonFactory(region=fw.fund.region))
    d = disbursement_request(
        acting_user=fw.staff, fund=fw.fund, amount=amount, purpose="助医", household=hh, **kw
    )
    for m in fw.members[1:4]:  # three of five, the chair not among them
        d = disbursement_approve(acting_user=m, disbursement=d)
    return d


def test_fund_needs_a_charity_with_a_valid_civil_affairs_credit_code(tree: Any) -> None:
    bad = OrganizationFactory(
        region=tree.county, kind=OrganizationKind.ENTERPRISE, name="某公司", credit_code="91370000MA3C5XXXX1"
    )
    with pytest.raises(ValidationError) as e:
        fund_create(
            acting_user=None, region=tree.community_a, name="x", organization=bad, purpose="p", opened_on=D
        )
    assert "organization" in e.value.message_dict


def test_committee_is_odd_and_at_least_five(fw: Any) -> None:
    users = [UserFactory() for _ in range(6)]
    with pytest.raises(ValidationError):
        committee_set(acting_user=None, fund=fw.fund, chair=users[0], supervisor=users[1], members=users[2:4])
    with pytest.raises(ValidationError):
        committee_set(acting_user=None, fund=fw.fund, chair=users[0], supervisor=users[1], members=users[2:6])
    seats = committee_set(
        acting_user=None, fund=fw.fund, chair=users[0], supervisor=users[1], members=users[2:5]
    )
    assert len(seats) == 5


def test_donation_posts_an_entry_and_issues_a_unique_receipt(fw: Any) -> None:
    d = give(fw, "500.00")
    assert d.entry.amount == Decimal("500.00")
    assert d.receipt.number.startswith("JZ") and d.receipt.amount == Decimal("500.00")
    with pytest.raises(ValidationError) as e:
        give(fw, "1.00", receipt_number=d.receipt.number)
    assert "receipt_number" in e.value.message_dict
    assert pool_balances(fw.fund) == {"": Decimal("500.00")}


def test_in_kind_donation_is_not_money_of_the_fund(fw: Any) -> None:
    d = give(fw, "300.00", channel=Channel.IN_KIND, item="轮椅2台")
    assert d.entry is None and d.receipt
    assert pool_balances(fw.fund) == {}


def test_another_community_cannot_record_on_the_fund(fw: Any) -> None:
    with pytest.raises(ValidationError):
        donation_record(
            acting_user=fw.staff_b,
            fund=fw.fund,
            amount="1",
            donated_on=D,
            channel="cash",
            donor_kind="anonymous",
        )


def test_committee_majority_then_another_person_pays(fw: Any) -> None:
    give(fw, "5000.00")
    hh = household_create(acting_user=None, head=PersonFactory(region=fw.fund.region))
    d = disbursement_request(
        acting_user=fw.staff, fund=fw.fund, amount="3000.00", purpose="助医", household=hh
    )
    d = disbursement_approve(acting_user=fw.members[1], disbursement=d)
    d = disbursement_approve(acting_user=fw.members[2], disbursement=d)
    assert d.status == DisbursementStatus.REQUESTED
    with pytest.raises(ValidationError):
        disbursement_approve(acting_user=fw.members[2], disbursement=d)
    d = disbursement_approve(acting_user=fw.members[3], disbursement=d)
    assert d.status == DisbursementStatus.APPROVED
    assert d.votes.count() == 3
    with pytest.raises(PermissionDenied):
        disbursement_approve(acting_user=fw.staff, disbursement=d)
    with pytest.raises(ValidationError):
        disbursement_approve(acting_user=fw.members[4], disbursement=d)
    d = disbursement_pay(acting_user=fw.payer, disbursement=d, method="银行转账", voucher_number="PZ-1")
    assert d.status == DisbursementStatus.PAID
    assert pool_balances(fw.fund)[""] == Decimal("2000.00")
    with pytest.raises(ValidationError):
        disbursement_pay(acting_user=fw.payer, disbursement=d, method="银行转账", voucher_number="PZ-2")
    assert FundEntry.objects.filter(disbursement=d).count() == 1


def test_chair_alone_below_the_threshold(fw: Any) -> None:
    d = disbursement_request(
        acting_user=fw.staff,
        fund=fw.fund,
        amount="100.00",
        purpose="慰问",
        household=household_create(acting_user=None, head=PersonFactory(region=fw.fund.region)),
    )
    with pytest.raises(PermissionDenied):
        disbursement_approve(acting_user=fw.staff, disbursement=d)
    d = disbursement_approve(acting_user=fw.chair, disbursement=d)
    assert d.status == DisbursementStatus.APPROVED


def test_street_approval_above_the_threshold(fw: Any, tree: Any) -> None:
    FundRule.objects.create(
        region=tree.street, chair_alone_below=Decimal("10"), street_approval_above=Decimal("1000")
    )
    give(fw, "9000.00")
    d = approved(fw, "2000.00")
    assert d.needs_street and d.status == DisbursementStatus.REQUESTED
    d = disbursement_approve(acting_user=fw.street_admin, disbursement=d)
    assert d.status == DisbursementStatus.APPROVED
    with pytest.raises(PermissionDenied):  # a committee member is no payer
        disbursement_pay(acting_user=fw.members[0], disbursement=d, method="x", voucher_number="y")


def test_approver_cannot_pay(fw: Any, tree: Any) -> None:
    from wushe.accounts.services import role_grant

    give(fw, "900.00")
    d = approved(fw, "100.00")
    role_grant(user=fw.members[1], role="payer", region=tree.street)
    voter = type(fw.members[1]).objects.get(pk=fw.members[1].pk)  # permissions read afresh
    with pytest.raises(ValidationError) as e:
        disbursement_pay(acting_user=voter, disbursement=d, method="现金", voucher_number="1")
    assert "paid_by" in e.value.message_dict


def test_overdraft_refused_naming_amount_and_nothing_written(fw: Any) -> None:
    give(fw, "100.00")
    d = approved(fw, "100.01")
    with pytest.raises(ValidationError) as e:
        disbursement_pay(acting_user=fw.payer, disbursement=d, method="现金", voucher_number="1")
    assert "amount" in e.value.message_dict
    d.refresh_from_db()
    assert d.status == DisbursementStatus.APPROVED
    assert FundEntry.objects.filter(amount__lt=0).count() == 0


def test_restricted_money_only_for_its_purpose(fw: Any) -> None:
    hh = household_create(acting_user=None, head=PersonFactory(region=fw.fund.region))
    give(fw, "1000.00", restriction=Restriction.HOUSEHOLD, restricted_to=hh)
    other = approved(fw, "10.00")
    with pytest.raises(ValidationError):
        disbursement_pay(acting_user=fw.payer, disbursement=other, method="现金", voucher_number="1")
    mine = approved(fw, "600.00", household=hh)
    disbursement_pay(acting_user=fw.payer, disbursement=mine, method="现金", voucher_number="2")
    assert pool_balances(fw.fund) == {f"household:{hh.pk}": Decimal("400.00")}


def test_reject_needs_a_reason(fw: Any) -> None:
    d = disbursement_request(
        acting_user=fw.staff,
        fund=fw.fund,
        amount="1.00",
        purpose="x",
        household=household_create(acting_user=None, head=PersonFactory(region=fw.fund.region)),
    )
    with pytest.raises(ValidationError):
        disbursement_reject(acting_user=fw.chair, disbursement=d, reason=" ")
    d = disbursement_reject(acting_user=fw.chair, disbursement=d, reason="材料不全")
    assert d.status == DisbursementStatus.REJECTED and d.reject_reason == "材料不全"


def test_correction_is_a_reversing_entry_and_the_original_stays(fw: Any) -> None:
    d = give(fw, "200.00")
    rev = entry_reverse(acting_user=fw.staff, entry=d.entry, reason="重复录入")
    assert rev.reverses == d.entry and rev.amount == Decimal("-200.00")
    assert FundEntry.objects.filter(pk=d.entry.pk).exists()
    assert pool_balances(fw.fund) == {"": Decimal("0.00")}
    with pytest.raises(AppendOnlyError):
        d.entry.delete()
    with pytest.raises(AppendOnlyError):
        FundEntry.objects.all().update(memo="x")


def test_close_moves_the_balance_by_entries(fw: Any) -> None:
    give(fw, "70.00")
    closed = fund_close(acting_user=None, fund=fw.fund, into=fw.other_fund)
    assert closed.closed_on is not None
    assert pool_balances(fw.fund) == {"": Decimal("0.00")}
    assert pool_balances(fw.other_fund) == {"": Decimal("70.00")}


def test_donation_straight_to_a_household(fw: Any, tree: Any) -> None:
    from wushe.accounts.roles import Role

    worker = UserFactory(role=Role.SOCIAL_WORKER, region=tree.community_a)
    hh = household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    d = donation_record(
        acting_user=worker,
        household=hh,
        amount="1200.00",
        donated_on=D,
        channel="bank",
        donor_kind="organization",
        donor_name="某企业",
    )
    assert d.intermediary == worker and d.fund is None and d.entry is None
