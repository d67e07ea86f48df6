"""Figures of the charity funds and donations (computed from the records, with their drill-down).
Money is Decimal: sums of the journal's entries and of the donations, never floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.drill import Column, drill_columns, region_name
from wushe.core.ledger import balance
from wushe.core.metrics import Scope, metric
from wushe.projects.models import Project

from .models import (
    Channel,
    Disbursement,
    DisbursementStatus,
    Donation,
    DonorKind,
    Fund,
    FundEntry,
    pool_label,
)
from .selectors import donor_public_name

YUAN = pgettext_lazy("unit", "元")


def _open_funds(scope: Scope) -> Any:
    qs = scope.of(Fund.objects.all())
    if scope.end is not None:
        qs = qs.filter(opened_on__lte=scope.end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=scope.end)
        )
    else:
        qs = qs.filter(closed_on__isnull=True)
    return qs


@metric(
    "funds",
    label=_("社区慈善基金"),
    unit=pgettext_lazy("unit", "个"),
    definition=_("期末在运行的社区慈善基金数"),
    records=_open_funds,
    period="as_of",
)
def funds(scope: Scope) -> int:
    return int(_open_funds(scope).count())


def _entries(scope: Scope, entry_type: str) -> Any:
    return scope.in_period(scope.of(FundEntry.objects.filter(entry_type=entry_type)), "occurred_on")


def _raised(scope: Scope) -> Any:
    return _entries(scope, "donation")


@metric(
    "funds.raised",
    label=_("基金募集善款"),
    unit=YUAN,
    definition=_("期间内基金收到的货币捐赠（冲正后净额，物资不计）"),
    records=_raised,
    sum_of="amount",
)
def funds_raised(scope: Scope) -> Decimal:
    return balance(_raised(scope))


def _spent(scope: Scope) -> Any:
    return _entries(scope, "disbursement")


def _minus_sum(records: QuerySet[Any]) -> Decimal:
    return -balance(records)


@metric(
    "funds.spent",
    label=_("基金支出"),
    unit=YUAN,
    definition=_("期间内基金经审批支付的金额（冲正后净额）"),
    records=_spent,
    value_from=_minus_sum,
)
def funds_spent(scope: Scope) -> Decimal:
    return _minus_sum(_spent(scope))


def _all_entries(scope: Scope) -> Any:
    qs = scope.of(FundEntry.objects.all())
    return qs.filter(occurred_on__lte=scope.end) if scope.end is not None else qs


@metric(
    "funds.balance",
    label=_("基金余额"),
    unit=YUAN,
    definition=_("期末各基金余额之和（由分录计算）"),
    records=_all_entries,
    sum_of="amount",
    period="as_of",
)
def funds_balance(scope: Scope) -> Decimal:
    return balance(_all_entries(scope))


def _funded_projects(scope: Scope) -> Any:
    paid = scope.in_period(
        scope.of(Disbursement.objects.filter(status=DisbursementStatus.PAID, project__isnull=False)),
        "paid_on",
    )
    return Project.objects.filter(id__in=paid.values("project_id"))


@metric(
    "funds.projects",
    label=_("基金资助项目"),
    unit=pgettext_lazy("unit", "个"),
    definition=_("期间内获得基金支付的项目数"),
    records=_funded_projects,
)
def funds_projects(scope: Scope) -> int:
    return int(_funded_projects(scope).count())


def _donations(scope: Scope) -> Any:
    qs = scope.in_period(scope.of(Donation.objects.all()), "donated_on")
    return qs.filter(Q(entry__isnull=True) | Q(entry__reversed_by__isnull=True))


def _money_donations(scope: Scope) -> Any:
    return _donations(scope).exclude(channel=Channel.IN_KIND)


def _sum(records: QuerySet[Any]) -> Decimal:
    from django.db.models import Sum

    return Decimal(records.aggregate(t=Sum("amount"))["t"] or 0).quantize(Decimal("0.01"))


@metric(
    "donations.amount",
    label=_("捐赠款"),
    unit=YUAN,
    definition=_("期间内登记的货币捐赠（捐入基金及直接捐给困难家庭；物资另计）"),
    records=_money_donations,
    sum_of="amount",
)
def donations_amount(scope: Scope) -> Decimal:
    return _sum(_money_donations(scope))


def _in_kind(scope: Scope) -> Any:
    return _donations(scope).filter(channel=Channel.IN_KIND)


@metric(
    "donations.in_kind",
    label=_("捐赠物资折价"),
    unit=YUAN,
    definition=_("期间内登记的物资捐赠的估值"),
    records=_in_kind,
    sum_of="amount",
)
def donations_in_kind(scope: Scope) -> Decimal:
    return _sum(_in_kind(scope))


@metric(
    "donations.count",
    label=_("捐赠笔数"),
    unit=pgettext_lazy("unit", "笔"),
    definition=_("期间内登记的捐赠笔数（含物资）"),
    records=_donations,
)
def donations_count(scope: Scope) -> int:
    return int(_donations(scope).count())


def _count_donors(records: QuerySet[Any]) -> int:
    """Distinct donors: a resident, an organization or a named outsider once; each anonymous gift."""
    keys: set[tuple[str, Any]] = set()
    anonymous = 0
    for kind, person, org, name in records.values_list(
        "donor_kind", "donor_person_id", "donor_organization_id", "donor_name"
    ):
        if kind == DonorKind.ANONYMOUS or not (person or org or name):
            anonymous += 1
        else:
            keys.add((kind, person or org or name))
    return len(keys) + anonymous


@metric(
    "donors",
    label=_("捐赠人"),
    unit=pgettext_lazy("unit", "人次"),
    definition=_("期间内捐赠的不同捐赠人（居民、组织、具名人士各计一次，匿名每笔计一次）"),
    records=_donations,
    value_from=_count_donors,
)
def donors(scope: Scope) -> int:
    return _count_donors(_donations(scope))


# ---- how the drill-down lists them ------------------------------------------------------------

drill_columns(
    Fund,
    [
        Column(_("基金名称"), lambda f: f.name, 24),
        Column(_("所属区域"), lambda f: region_name(f.region), 24),
        Column(_("所在慈善组织"), lambda f: f.organization.name, 24),
        Column(_("设立日期"), lambda f: f.opened_on, 12),
        Column(_("终止日期"), lambda f: f.closed_on or "", 12),
    ],
    url=lambda f: reverse("funds:fund_detail", args=[f.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "region__parent", "organization"),
)

drill_columns(
    FundEntry,
    [
        Column(_("发生日期"), lambda e: e.occurred_on, 12),
        Column(_("基金"), lambda e: e.fund.name, 24),
        Column(_("类型"), lambda e: e.entry_type, 12),
        Column(_("资金性质"), lambda e: pool_label(e.pool), 12),
        Column(_("金额（元）"), lambda e: e.amount, 14),
        Column(_("摘要"), lambda e: e.memo, 30),
        Column(_("冲正的分录"), lambda e: e.reverses_id or "", 10),
    ],
    url=lambda e: reverse("funds:fund_detail", args=[e.fund_id]),
    prepare=lambda rows: prefetch_related_objects(rows, "fund"),
)

drill_columns(
    Donation,
    [
        Column(_("捐赠日期"), lambda d: d.donated_on, 12),
        Column(_("捐赠人"), donor_public_name, 20),
        Column(_("方式"), lambda d: d.get_channel_display(), 12),
        Column(_("金额/估值（元）"), lambda d: d.amount, 14),
        Column(_("基金"), lambda d: d.fund.name if d.fund else "", 24),
        Column(_("所属区域"), lambda d: region_name(d.region), 24),
    ],
    url=lambda d: reverse("funds:donation_detail", args=[d.pk]),
    prepare=lambda rows: prefetch_related_objects(rows, "fund", "region__parent"),
)
