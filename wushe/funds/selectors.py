"""Every read of the funds, scoped: a fund is seen by the users whose grants cover its region and
by its committee's members (the committee role is anchored: it opens no region)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from wushe.accounts.roles import MANAGE_LISTS
from wushe.core.ledger import CENTS, ZERO, balance
from wushe.core.scoping import ScopedQuerySet
from wushe.registry.models import Person
from wushe.registry.selectors import heads_prefetch
from wushe.registry.subjects import Subject, subject_q

from .models import (
    Channel,
    Disbursement,
    DisbursementStatus,
    Donation,
    DonorDisplay,
    DonorKind,
    Fund,
    FundCommitteeMember,
    FundEntry,
    pool_label,
)

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def _member_funds(user: AnyUser) -> QuerySet[FundCommitteeMember]:
    if not getattr(user, "is_authenticated", False):
        return FundCommitteeMember.objects.none()
    return FundCommitteeMember.objects.filter(user_id=int(user.pk or 0))


def fund_list(*, user: AnyUser, q: str = "") -> ScopedQuerySet[Fund]:
    visible = Fund.objects.visible_to(user).values("id")
    qs = Fund.objects.filter(Q(id__in=visible) | Q(id__in=_member_funds(user).values("fund_id")))
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return qs.select_related("region", "organization").order_by("region__path", "name")


def get_fund_for_user(user: AnyUser, pk: int) -> Fund:
    fund = fund_list(user=user).filter(pk=pk).first()
    if fund is None:
        raise Http404
    return fund


def sees_details(user: AnyUser) -> bool:
    """Full donor names and recipients: the fund's keepers; a 领导 reads masked."""
    return bool(user.has_perm(MANAGE_LISTS))


def donation_list(*, user: AnyUser, fund: Fund | None = None) -> ScopedQuerySet[Donation]:
    qs = Donation.objects.filter(fund=fund) if fund is not None else Donation.objects.visible_to(user)
    return qs.select_related("fund", "household", "receipt", "restricted_project").order_by(
        "-donated_on", "-id"
    )


def get_donation_for_user(user: AnyUser, pk: int) -> Donation:
    donation = (
        Donation.objects.visible_to(user)
        .select_related("fund__organization", "receipt")
        .filter(pk=pk)
        .first()
    )
    if donation is None:
        funds = fund_list(user=user).values("id")
        donation = (
            Donation.objects.filter(pk=pk, fund__in=funds)
            .select_related("fund__organization", "receipt")
            .first()
        )
    if donation is None:
        raise Http404
    return donation


def disbursement_list(*, user: AnyUser, fund: Fund | None = None, status: str = "") -> QuerySet[Disbursement]:
    if fund is not None:
        qs = Disbursement.objects.filter(fund=fund)
    else:
        qs = Disbursement.objects.filter(fund__in=fund_list(user=user).values("id"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("fund", "project", "household", "person", "applicant", "paid_by").order_by(
        "-requested_at", "-id"
    )


def get_disbursement_for_user(user: AnyUser, pk: int) -> Disbursement:
    d = disbursement_list(user=user).filter(pk=pk).first()
    if d is None:
        raise Http404
    return d


def waiting_for_vote(user: AnyUser) -> QuerySet[Disbursement]:
    """Requests of the user's committees the user has not voted on yet."""
    return (
        disbursement_list(user=user, status=DisbursementStatus.REQUESTED)
        .filter(fund__in=_member_funds(user).values("fund_id"))
        .exclude(votes__user_id=int(user.pk or 0))
    )


def waiting_for_payment(user: AnyUser) -> QuerySet[Disbursement]:
    return disbursement_list(user=user, status=DisbursementStatus.APPROVED).filter(
        fund__in=Fund.objects.visible_to(user).values("id")
    )


# ---- statements ------------------------------------------------------------------------------


@dataclass
class PoolLine:
    pool: str
    label: str
    opening: Decimal
    inflow: Decimal
    outflow: Decimal
    closing: Decimal


@dataclass
class Statement:
    fund: Fund
    start: datetime.date
    end: datetime.date
    opening: Decimal
    inflow: Decimal
    outflow: Decimal
    closing: Decimal
    pools: list[PoolLine] = field(default_factory=list)
    entries: list[FundEntry] = field(default_factory=list)


def _project_names(pools: set[str]) -> dict[str, str]:
    from wushe.projects.models import Project

    ids = [int(p.split(":")[1]) for p in pools if p.startswith("project:")]
    return {
        f"project:{pk}": name for pk, name in Project.objects.filter(pk__in=ids).values_list("pk", "name")
    }


def statement(fund: Fund, start: datetime.date, end: datetime.date) -> Statement:
    """Opening, in, out and closing for the period, in total and by restriction, from the entries."""
    entries = FundEntry.objects.filter(fund=fund)
    opening = balance(entries.filter(occurred_on__lt=start))
    period = entries.filter(occurred_on__gte=start, occurred_on__lte=end)
    by_pool: dict[str, dict[str, Decimal]] = {}
    for row in entries.filter(occurred_on__lt=start).order_by().values("pool").annotate(t=Sum("amount")):
        by_pool.setdefault(row["pool"], {"opening": ZERO, "in": ZERO, "out": ZERO})["opening"] = Decimal(
            row["t"]
        )
    for row in (
        period.order_by()
        .values("pool")
        .annotate(i=Sum("amount", filter=Q(amount__gt=0)), o=Sum("amount", filter=Q(amount__lt=0)))
    ):
        line = by_pool.setdefault(row["pool"], {"opening": ZERO, "in": ZERO, "out": ZERO})
        line["in"] = Decimal(row["i"] or 0)
        line["out"] = -Decimal(row["o"] or 0)
    names = _project_names(set(by_pool))
    pools = [
        PoolLine(
            pool=key,
            label=pool_label(key) + (f"：{names[key]}" if key in names else ""),
            opening=v["opening"].quantize(CENTS),
            inflow=v["in"].quantize(CENTS),
            outflow=v["out"].quantize(CENTS),
            closing=(v["opening"] + v["in"] - v["out"]).quantize(CENTS),
        )
        for key, v in sorted(by_pool.items())
    ]
    inflow = sum((p.inflow for p in pools), ZERO)
    outflow = sum((p.outflow for p in pools), ZERO)
    return Statement(
        fund=fund,
        start=start,
        end=end,
        opening=opening,
        inflow=inflow,
        outflow=outflow,
        closing=opening + inflow - outflow,
        pools=pools,
        entries=list(period.select_related("recorded_by", "reverses").order_by("occurred_on", "id")),
    )


# ---- what a public notice (公示) may show ----------------------------------------------------

_DIGITS = re.compile(r"\d[\d\s-]{5,}[\dXx]")


def scrub(value: str) -> str:
    """No long runs of digits (a phone, an ID or a bank account) in a public text."""
    return _DIGITS.sub("***", value or "")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def donor_public_name(d: Donation) -> str:
    if d.donor_kind == DonorKind.ANONYMOUS or d.display == DonorDisplay.ANONYMOUS or not d.donor_name:
        return _("爱心人士")
    if d.display == DonorDisplay.MASKED:
        return mask_name(d.donor_name)
    return scrub(d.donor_name)


def recipient_public_name(d: Disbursement) -> str:
    """A project by its name; a person or a household never in full, and never why (health)."""
    if d.project is not None:
        return scrub(d.project.name)
    if d.person is not None:
        return mask_name(d.person.name)
    if d.household is not None:
        head = d.household.head
        return _("%(n)s户") % {"n": mask_name(head.name)} if head is not None else _("困难家庭")
    return ""


def public_purpose(d: Disbursement) -> str:
    if d.project is not None:
        return scrub(d.purpose)
    return _("困难救助")


@dataclass
class Notice:
    fund: Fund
    start: datetime.date
    end: datetime.date
    title: str
    statement: Statement
    donations: list[tuple[str, str, Decimal, datetime.date]]  # donor, channel, amount, date
    in_kind: list[tuple[str, str, Decimal, datetime.date]]
    disbursements: list[tuple[str, str, Decimal, datetime.date]]  # recipient, purpose, amount, date
    by_project: list[tuple[str, Decimal]]


def notice(fund: Fund, start: datetime.date, end: datetime.date, title: str) -> Notice:
    stmt = statement(fund, start, end)
    gifts = Donation.objects.filter(fund=fund, donated_on__gte=start, donated_on__lte=end).order_by(
        "donated_on", "id"
    )
    money_rows: list[tuple[str, str, Decimal, datetime.date]] = []
    kind_rows: list[tuple[str, str, Decimal, datetime.date]] = []
    for g in gifts:
        row = (donor_public_name(g), str(g.get_channel_display()), g.amount, g.donated_on)
        (kind_rows if g.channel == Channel.IN_KIND else money_rows).append(row)
    paid = (
        Disbursement.objects.filter(
            fund=fund, status=DisbursementStatus.PAID, paid_on__gte=start, paid_on__lte=end
        )
        .select_related("project", "person", "household")
        .prefetch_related(heads_prefetch("household"))
        .order_by("paid_on", "id")
    )
    out_rows: list[tuple[str, str, Decimal, datetime.date]] = []
    projects: dict[str, Decimal] = {}
    for d in paid:
        out_rows.append((recipient_public_name(d), public_purpose(d), d.amount, d.paid_on or end))
        key = scrub(d.project.name) if d.project is not None else _("个人及家庭救助")
        projects[key] = projects.get(key, ZERO) + d.amount
    return Notice(
        fund=fund,
        start=start,
        end=end,
        title=title,
        statement=stmt,
        donations=money_rows,
        in_kind=kind_rows,
        disbursements=out_rows,
        by_project=sorted(projects.items()),
    )


def balances_of(funds: list[Fund]) -> dict[int, Decimal]:
    """Each fund's balance today, in one grouped query."""
    rows = (
        FundEntry.objects.filter(fund__in=[f.pk for f in funds])
        .order_by()
        .values("fund_id")
        .annotate(t=Sum("amount"))
    )
    return {r["fund_id"]: Decimal(r["t"] or 0).quantize(CENTS) for r in rows}


def charity_for(*, user: AnyUser, subject: Subject) -> QuerySet[Disbursement]:
    """Payments requested or made for a person or a household (a person's: to the person, or to
    the household naming no one), in the viewer's scope."""
    return (
        Disbursement.objects.visible_to(user)
        .filter(subject_q(subject))
        .select_related("fund", "project")
        .order_by("-requested_at", "-id")
    )


def donations_received(*, user: AnyUser, subject: Subject) -> QuerySet[Donation]:
    """Donations arranged straight to a household (a person's: to the person's household)."""
    if subject.person:
        households = Person.objects.filter(pk=subject.person).values("household_id")
        qs = Donation.objects.visible_to(user).filter(household__in=households)
    else:
        qs = Donation.objects.visible_to(user).filter(household_id=int(subject.household or 0))
    return qs.select_related("intermediary").order_by("-donated_on", "-id")
