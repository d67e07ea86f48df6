"""Donations in: to a fund (an entry in its journal, a 公益事业捐赠票据) or straight to a
household (recorded against it with the intermediary who arranged it)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.accounts.roles import MANAGE_LISTS, RECORD_OUTREACH
from wushe.core.checks import not_future, require_visible, text, today
from wushe.core.history import actor
from wushe.core.ledger import ledger_post, money
from wushe.core.permissions import require_perm, require_region_in_scope
from wushe.needs.models import NeedCategory
from wushe.partners.models import Organization
from wushe.projects.models import Project
from wushe.registry.models import Household, Person

from ..models import (
    Channel,
    Donation,
    DonationReceipt,
    DonorDisplay,
    DonorKind,
    Fund,
    FundEntry,
    Restriction,
)


def _donor(
    donor_kind: str, donor_person: Person | None, donor_organization: Organization | None, donor_name: str
) -> tuple[Person | None, Organization | None, str]:
    name = text(donor_name, "donor_name", max_length=100)
    if donor_kind == DonorKind.PERSON:
        if donor_person is None:
            raise ValidationError({"donor_person": _("请选择捐赠的居民")})
        return donor_person, None, donor_person.name
    if donor_kind == DonorKind.ORGANIZATION:
        if donor_organization is None and not name:
            raise ValidationError({"donor_organization": _("请选择或填写捐赠的组织")})
        return None, donor_organization, donor_organization.name if donor_organization else name
    if donor_kind == DonorKind.OUTSIDER:
        if not name:
            raise ValidationError({"donor_name": _("请填写捐赠人姓名")})
        return None, None, name
    if donor_kind == DonorKind.ANONYMOUS:
        return None, None, ""
    raise ValidationError({"donor_kind": _("未知的捐赠人类型")})


def _restriction(restriction: str, target: Any) -> dict[str, Any]:
    fields = {
        Restriction.PROJECT: ("restricted_project", Project),
        Restriction.PERSON: ("restricted_person", Person),
        Restriction.HOUSEHOLD: ("restricted_household", Household),
        Restriction.CATEGORY: ("restricted_category", NeedCategory),
    }
    if not restriction:
        return {}
    if restriction not in fields:
        raise ValidationError({"restriction": _("未知的定向方式")})
    field, model = fields[Restriction(restriction)]
    if not isinstance(target, model):
        raise ValidationError({field: _("请选择定向的对象")})
    return {field: target}


@transaction.atomic
def donation_record(
    *,
    acting_user: User | None,
    amount: Decimal | int | str,
    donated_on: datetime.date,
    channel: str,
    donor_kind: str,
    display: str = DonorDisplay.ANONYMOUS,
    fund: Fund | None = None,
    household: Household | None = None,
    intermediary: User | None = None,
    donor_person: Person | None = None,
    donor_organization: Organization | None = None,
    donor_name: str = "",
    item: str = "",
    restriction: str = "",
    restricted_to: Any = None,
    receipt_number: str = "",
) -> Donation:
    """Record a donation. To a fund: money is an entry of the fund (its restriction the entry's
    pool) and a receipt is issued (``receipt_number`` as printed by the charity, else the next
    number); in kind, the valuation is recorded but is no money of the fund."""
    if (fund is None) == (household is None):
        raise ValidationError({"fund": _("捐赠须记入一个基金，或直接记入一个受助家庭")})
    value = money(amount)
    if value <= 0:
        raise ValidationError({"amount": _("金额须大于零")})
    not_future(donated_on, "donated_on")
    if channel not in Channel.values:
        raise ValidationError({"channel": _("未知的捐赠方式")})
    if display not in DonorDisplay.values:
        raise ValidationError({"display": _("未知的公示方式")})
    item = text(item, "item", max_length=100)
    if channel == Channel.IN_KIND and not item:
        raise ValidationError({"item": _("物资捐赠请填写物品名称")})
    person, org, name = _donor(donor_kind, donor_person, donor_organization, donor_name)
    if donor_kind == DonorKind.ANONYMOUS:
        display = DonorDisplay.ANONYMOUS
    targets = _restriction(restriction, restricted_to)
    if fund is not None:
        require_perm(acting_user, MANAGE_LISTS)
        require_region_in_scope(acting_user, fund.region, field="fund")
        if fund.closed_on is not None:
            raise ValidationError({"fund": _("该基金已终止，不能再接收捐赠")})
        if donated_on < fund.opened_on:
            raise ValidationError({"donated_on": _("捐赠日期不能早于基金设立日期")})
        region = fund.region
    else:
        assert household is not None
        require_perm(acting_user, RECORD_OUTREACH)
        require_visible(acting_user, household, "household")
        if targets:
            raise ValidationError({"restriction": _("直接捐给家庭的款物无需再定向")})
        region = household.region
        intermediary = intermediary or acting_user
    for field, target in targets.items():
        if not isinstance(target, NeedCategory):
            require_visible(acting_user, target, field)
    donation = Donation(
        region=region,
        fund=fund,
        household=household,
        intermediary=intermediary,
        donor_kind=donor_kind,
        donor_person=person,
        donor_organization=org,
        donor_name=name,
        display=display,
        amount=value,
        donated_on=donated_on,
        channel=channel,
        item=item,
        restriction=restriction or "",
        recorded_by=actor(acting_user),
        **targets,
    )
    if fund is not None and channel != Channel.IN_KIND:
        donation.entry = ledger_post(
            model=FundEntry,
            acting_user=acting_user,
            amount=value,
            entry_type="donation",
            occurred_on=donated_on,
            memo=_("捐赠：%(n)s") % {"n": name or _("匿名")},
            fund=fund,
            pool=donation.restriction_pool(),
        )
    donation.save()
    if fund is not None:
        receipt_issue(acting_user=acting_user, donation=donation, number=receipt_number)
    return donation


def _next_receipt_number(year: int) -> str:
    prefix = f"JZ{year}-"
    last = (
        DonationReceipt.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{serial:06d}"


@transaction.atomic
def receipt_issue(*, acting_user: User | None, donation: Donation, number: str = "") -> DonationReceipt:
    """The 公益事业捐赠票据 of a donation to a fund: issued once, its number unique."""
    if donation.fund is None:
        raise ValidationError({"donation": _("直接捐给家庭的款物不由基金开具票据")})
    if acting_user is not None and not acting_user.has_perm(MANAGE_LISTS):
        raise PermissionDenied(_("您没有执行此操作的权限"))
    if DonationReceipt.objects.filter(donation=donation).exists():
        raise ValidationError({"donation": _("该捐赠已开具票据")})
    number = text(number, "receipt_number", max_length=30).upper()
    issued_on = today()
    payer = donation.donor_name or _("匿名捐赠人")
    item = donation.item or _("捐赠（%(f)s）") % {"f": donation.fund.name}
    try:
        with transaction.atomic():
            return DonationReceipt.objects.create(
                donation=donation,
                number=number or _next_receipt_number(issued_on.year),
                payer=payer[:100],
                item=item[:100],
                amount=donation.amount,
                issued_on=issued_on,
                issuer=donation.fund.organization.name[:100],
                issued_by=actor(acting_user),
            )
    except IntegrityError:
        raise ValidationError({"receipt_number": _("票据号码已被使用")}) from None
