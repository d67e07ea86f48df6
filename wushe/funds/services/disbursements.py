"""Money out: a request, the committee's votes (and the street's above a threshold), a rejection
with its reason, and the payment — under the fund's row lock, never below zero, restricted money
only for its purpose, paid once, by someone who did not approve it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import APPROVE_DISBURSEMENT, MANAGE_LISTS, PAY_DISBURSEMENT, RECORD_OUTREACH, Role
from wushe.core.checks import not_future, require_visible, text, today
from wushe.core.history import actor
from wushe.core.ledger import ledger_post, money
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.needs.models import NeedCategory
from wushe.projects.models import Project
from wushe.registry.models import Household, Person

from ..models import (
    CommitteeRole,
    Disbursement,
    DisbursementStatus,
    DisbursementVote,
    Fund,
    FundCommitteeMember,
    FundEntry,
)
from ..rules import committee_ok, thresholds
from .funds import lock_fund
from .ledger import pool_balances


@transaction.atomic
def disbursement_request(
    *,
    acting_user: User | None,
    fund: Fund,
    amount: Decimal | int | str,
    purpose: str,
    project: Project | None = None,
    person: Person | None = None,
    household: Household | None = None,
    category: NeedCategory | None = None,
    attachments: str = "",
) -> Disbursement:
    if acting_user is not None and not (
        acting_user.has_perm(MANAGE_LISTS) or acting_user.has_perm(RECORD_OUTREACH)
    ):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    require_region_in_scope(acting_user, fund.region, field="fund")
    if fund.closed_on is not None:
        raise ValidationError({"fund": _("该基金已终止")})
    value = money(amount)
    if value <= 0:
        raise ValidationError({"amount": _("金额须大于零")})
    purpose = text(purpose, "purpose", max_length=200, required=True)
    if sum(x is not None for x in (project, person, household)) != 1:
        raise ValidationError({"project": _("请选择一个项目，或一个受助人或家庭")})
    require_visible(acting_user, project, "project")
    require_visible(acting_user, person, "person")
    require_visible(acting_user, household, "household")
    _chair, street_above = thresholds(fund.region)
    return Disbursement.objects.create(
        fund=fund,
        amount=value,
        purpose=purpose,
        project=project,
        person=person,
        household=household,
        category=category,
        attachments=text(attachments, "attachments", max_length=2000),
        applicant=actor(acting_user),
        needs_street=value > street_above,
    )


def _street_admin_over(user: User, fund: Fund) -> bool:
    if user.is_superuser:
        return True
    paths = RoleGrant.objects.filter(user=user, role=Role.STREET_ADMIN).values_list("region__path", flat=True)
    return any(fund.region.path.startswith(p) for p in paths)


def _locked_request(disbursement: Disbursement) -> Disbursement:
    return (
        Disbursement.objects.select_for_update(of=("self",))
        .select_related("fund__region")
        .get(pk=disbursement.pk)
    )


def _settle(d: Disbursement) -> None:
    """Approved once the committee's rule holds and, above the street's threshold, the street too."""
    members = FundCommitteeMember.objects.filter(fund=d.fund_id)
    member_ids = set(members.values_list("user_id", flat=True))
    chair_id = members.filter(role=CommitteeRole.CHAIR).values_list("user_id", flat=True).first()
    voters = set(d.votes.values_list("user_id", flat=True))
    chair_below, _above = thresholds(d.fund.region)
    committee = committee_ok(
        members=len(member_ids),
        approvals=len(voters & member_ids),
        chair_approved=chair_id in voters,
        amount=d.amount,
        chair_below=chair_below,
    )
    if committee and (not d.needs_street or d.street_approved_by_id is not None):
        d.status = DisbursementStatus.APPROVED
        d.approved_at = timezone.now()
        d.save(update_fields=["status", "approved_at"])


@transaction.atomic
def disbursement_approve(*, acting_user: User, disbursement: Disbursement) -> Disbursement:
    """A committee member's vote (recorded with who and when), or the street administrator's
    approval of a request above the street's threshold."""
    d = _locked_request(disbursement)
    is_member = FundCommitteeMember.objects.filter(fund=d.fund_id, user=acting_user).exists()
    voter = is_member and acting_user.has_perm(APPROVE_DISBURSEMENT)
    if not voter and not (d.needs_street and _street_admin_over(acting_user, d.fund)):
        raise PermissionDenied(_("只有该基金管委会成员（或超过额度时的街道管理员）可以审批"))
    if d.status != DisbursementStatus.REQUESTED:
        raise ValidationError(
            {"status": _("该申请当前状态为“%(s)s”，不能再审批") % {"s": d.get_status_display()}}
        )
    if voter:
        if d.votes.filter(user=acting_user).exists():
            raise ValidationError({"vote": _("您已表决同意")})
        DisbursementVote.objects.create(disbursement=d, user=acting_user)
    elif d.street_approved_by_id is None:
        d.street_approved_by = acting_user
        d.street_approved_at = timezone.now()
        d.save(update_fields=["street_approved_by", "street_approved_at"])
    else:
        raise ValidationError({"vote": _("街道已审批")})
    _settle(d)
    return d


@transaction.atomic
def disbursement_reject(*, acting_user: User, disbursement: Disbursement, reason: str) -> Disbursement:
    """A committee member turns the request down, with the reason."""
    d = _locked_request(disbursement)
    is_member = FundCommitteeMember.objects.filter(fund=d.fund_id, user=acting_user).exists()
    if not (is_member and acting_user.has_perm(APPROVE_DISBURSEMENT)):
        raise PermissionDenied(_("只有该基金管委会成员可以驳回"))
    reason = text(reason, "reason", max_length=200, required=True, message=_("请填写驳回理由"))
    if d.status != DisbursementStatus.REQUESTED:
        raise ValidationError(
            {"status": _("该申请当前状态为“%(s)s”，不能驳回") % {"s": d.get_status_display()}}
        )
    d.status = DisbursementStatus.REJECTED
    d.rejected_by = acting_user
    d.rejected_at = timezone.now()
    d.reject_reason = reason
    d.save(update_fields=["status", "rejected_by", "rejected_at", "reject_reason"])
    return d


def approvers(d: Disbursement) -> set[int]:
    ids = set(d.votes.values_list("user_id", flat=True))
    if d.street_approved_by_id:
        ids.add(d.street_approved_by_id)
    return ids


@transaction.atomic
def disbursement_pay(
    *,
    acting_user: User,
    disbursement: Disbursement,
    method: str,
    voucher_number: str,
    paid_on: datetime.date | None = None,
) -> Disbursement:
    """Pay an approved request once. The fund's row is locked first, so concurrent payments
    against one fund queue and each sees the balance the previous one left."""
    require_perm(acting_user, PAY_DISBURSEMENT)
    require_region_in_scope(acting_user, disbursement.fund.region, field="fund")
    method = text(method, "method", max_length=30, required=True)
    voucher_number = text(voucher_number, "voucher_number", max_length=40, required=True)
    day = paid_on or today()
    not_future(day, "paid_on")
    fund = lock_fund(disbursement.fund)
    d = _locked_request(disbursement)
    if d.status == DisbursementStatus.PAID:
        raise ValidationError({"status": _("该申请已支付，不能重复支付")})
    if d.status != DisbursementStatus.APPROVED:
        raise ValidationError({"status": _("该申请尚未批准")})
    if acting_user.pk in approvers(d):
        raise ValidationError({"paid_by": _("审批人不能支付自己批准的申请")})
    if fund.closed_on is not None:
        raise ValidationError({"fund": _("该基金已终止")})
    pools = pool_balances(fund)
    plan: list[tuple[str, Decimal]] = []
    left = d.amount
    for pool in [*d.pools(), ""]:
        available = pools.get(pool, Decimal(0))
        take = min(available, left)
        if take > 0:
            plan.append((pool, take))
            left -= take
        if left == 0:
            break
    if left > 0:
        usable = d.amount - left
        raise ValidationError(
            {
                "amount": _(
                    "基金可用于该用途的余额为%(b)s元，不足以支付%(a)s元（定向捐赠只能用于其指定用途）"
                )
                % {"b": usable, "a": d.amount}
            }
        )
    memo = _("支出：%(p)s") % {"p": d.purpose}
    for pool, take in plan:
        ledger_post(
            model=FundEntry,
            acting_user=acting_user,
            amount=-take,
            entry_type="disbursement",
            occurred_on=day,
            memo=memo[:200],
            fund=fund,
            pool=pool,
            disbursement=d,
        )
    d.status = DisbursementStatus.PAID
    d.paid_on = day
    d.method = method
    d.voucher_number = voucher_number
    d.paid_by = actor(acting_user)
    d.paid_at = timezone.now()
    d.save(update_fields=["status", "paid_on", "method", "voucher_number", "paid_by", "paid_at"])
    return d
