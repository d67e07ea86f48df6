"""Every write of the funds (keyword-only, ``acting_user``, checked, in a transaction)."""

from .disbursements import (
    disbursement_approve,
    disbursement_pay,
    disbursement_reject,
    disbursement_request,
)
from .donations import donation_record, receipt_issue
from .funds import check_charity, committee_set, fund_close, fund_create, lock_fund
from .ledger import entry_reverse, pool_balances

__all__ = [
    "check_charity",
    "committee_set",
    "disbursement_approve",
    "disbursement_pay",
    "disbursement_reject",
    "disbursement_request",
    "donation_record",
    "entry_reverse",
    "fund_close",
    "fund_create",
    "lock_fund",
    "pool_balances",
    "receipt_issue",
]
