"""Funds and their committees: create, set the committee, close (the balance moved by entries)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import MANAGE_LISTS, Role
from wushe.accounts.services import role_grant
from wushe.core.checks import not_future, text, today
from wushe.core.history import actor
from wushe.core.ledger import ledger_post
from wushe.core.models import Region, RegionLevel
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.partners.models import Organization

from ..models import CommitteeRole, Fund, FundCommitteeMember, FundEntry
from .ledger import pool_balances

MIN_MEMBERS = 5


def check_charity(organization: Organization) -> None:
    """The host charity: a 统一社会信用代码 that passes GB 32100 and was registered with 民政
    (first character 5: 社会团体, 民办非企业单位, 基金会)."""
    code = (organization.credit_code or "").strip().upper()
    if not code or not uscc.is_valid(code):
        raise ValidationError({"organization": _("所在慈善组织须有有效的统一社会信用代码（GB 32100）")})
    if code[0] != "5":
        raise ValidationError(
            {"organization": _("所在慈善组织须为民政部门登记的社会组织（信用代码以5开头）")}
        )


@transaction.atomic
def fund_create(
    *,
    acting_user: User | None,
    region: Region,
    name: str,
    organization: Organization,
    purpose: str,
    opened_on: datetime.date,
) -> Fund:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, region)
    if region.level not in (RegionLevel.COMMUNITY, RegionLevel.STREET):
        raise ValidationError({"region": _("基金须设在社区或街道")})
    name = text(name, "name", max_length=100, required=True)
    purpose = text(purpose, "purpose", required=True)
    check_charity(organization)
    not_future(opened_on, "opened_on")
    if Fund.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("本区域已有同名基金")})
    return Fund.objects.create(
        region=region,
        name=name,
        organization=organization,
        purpose=purpose,
        opened_on=opened_on,
        created_by=actor(acting_user),
    )


def _require_manager(acting_user: User | None, fund: Fund) -> None:
    require_perm(acting_user, MANAGE_LISTS)
    require_region_in_scope(acting_user, fund.region, field="fund")


@transaction.atomic
def committee_set(
    *,
    acting_user: User | None,
    fund: Fund,
    chair: User,
    supervisor: User,
    members: Sequence[User],
) -> list[FundCommitteeMember]:
    """Replace the committee: at least five people, an odd number, one chair, one supervisor;
    each is granted the committee role on the fund's region (anchored: it opens no records)."""
    _require_manager(acting_user, fund)
    people = [chair, supervisor, *members]
    ids = [u.pk for u in people]
    if len(set(ids)) != len(ids):
        raise ValidationError({"members": _("管委会成员不能重复（主任、监督员与委员须为不同的人）")})
    if len(people) < MIN_MEMBERS:
        raise ValidationError({"members": _("管委会至少%(n)s人") % {"n": MIN_MEMBERS}})
    if len(people) % 2 == 0:
        raise ValidationError({"members": _("管委会人数须为奇数")})
    FundCommitteeMember.objects.filter(fund=fund).delete()
    seats = [
        FundCommitteeMember(fund=fund, user=chair, role=CommitteeRole.CHAIR),
        FundCommitteeMember(fund=fund, user=supervisor, role=CommitteeRole.SUPERVISOR),
        *(FundCommitteeMember(fund=fund, user=u, role=CommitteeRole.MEMBER) for u in members),
    ]
    FundCommitteeMember.objects.bulk_create(seats)
    for user in people:
        if not RoleGrant.objects.filter(user=user, role=Role.FUND_COMMITTEE, region=fund.region).exists():
            role_grant(user=user, role=Role.FUND_COMMITTEE, region=fund.region)
    return list(fund.committee.select_related("user"))


def lock_fund(fund: Fund) -> Fund:
    """The fund's row, locked until the transaction ends: payments and transfers queue on it."""
    return Fund.objects.select_for_update(of=("self",)).get(pk=fund.pk)


@transaction.atomic
def fund_close(
    *,
    acting_user: User | None,
    fund: Fund,
    into: Fund | None,
    closed_on: datetime.date | None = None,
    reason: str = "",
) -> Fund:
    """Close the fund; its balance (each restriction) moves to ``into`` by a pair of entries."""
    _require_manager(acting_user, fund)
    day = closed_on or today()
    not_future(day, "closed_on")
    locked = lock_fund(fund)
    if locked.closed_on is not None:
        raise ValidationError({"fund": _("该基金已终止")})
    pools = {k: v for k, v in pool_balances(locked).items() if v}
    if pools and into is None:
        raise ValidationError({"into": _("基金尚有余额，请选择余额转入的基金")})
    if into is not None:
        if into.pk == locked.pk or into.closed_on is not None:
            raise ValidationError({"into": _("余额须转入另一个在运行的基金")})
        if (
            acting_user is not None
            and not type(into).objects.visible_to(acting_user).filter(pk=into.pk).exists()
        ):
            raise PermissionDenied(_("您没有执行此操作的权限"))
        lock_fund(into)
    memo = text(reason, "reason", max_length=150) or _("基金终止，余额转出")
    for pool, amount in pools.items():
        assert into is not None
        ledger_post(
            model=FundEntry,
            acting_user=acting_user,
            amount=-amount,
            entry_type="transfer_out",
            occurred_on=day,
            memo=memo,
            fund=locked,
            pool=pool,
        )
        ledger_post(
            model=FundEntry,
            acting_user=acting_user,
            amount=amount,
            entry_type="transfer_in",
            occurred_on=day,
            memo=_("自%(f)s转入") % {"f": locked.name},
            fund=into,
            pool=pool,
        )
    locked.closed_on = day
    locked.closed_into = into
    locked.save(update_fields=["closed_on", "closed_into"])
    return locked
