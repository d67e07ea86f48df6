"""The monthly roster, computed from the registry's dated facts: who is paid each subsidy in a
month, the changes since the previous month, and the corrections (补发/追回) of earlier months
already approved, person by person. Any month can be rebuilt; an approved month is kept as it was
(``models.Roster``) and compared with its rebuild.

A payment needs an application approved by the county (its month not after the roster's, and
not ended by a failed review before it) and the person eligible that month (``eligibility``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from wushe.core.models import Region
from wushe.registry.models import Person

from .eligibility import Eligibility, Rules, add_months, eligibility_many, month_start
from .models import Application, Change, Kind, LineKind, Roster, RosterLine, Status

CORRECTION_MONTHS = 24  # how far back a paid month is checked against its rebuild


@dataclass(frozen=True)
class Payment:
    application: Application
    amount: Decimal
    level: int
    eligibility: Eligibility | None
    reason: str = ""  # why nothing is paid


@dataclass
class Line:
    application: Application
    kind: str
    line: str
    for_month: datetime.date
    amount: Decimal
    level: int = 0
    change: str = ""
    reason: str = ""

    @property
    def person(self) -> Person:
        return self.application.person

    def get_kind_display(self) -> str:
        return str(Kind(self.kind).label)

    def get_line_display(self) -> str:
        return str(LineKind(self.line).label)

    def get_change_display(self) -> str:
        return str(Change(self.change).label) if self.change else ""


@dataclass
class Computed:
    region: Region
    month: datetime.date
    lines: list[Line] = field(default_factory=list)
    approved: Roster | None = None

    def paying(self, kind: str) -> list[Line]:
        return [x for x in self.lines if x.kind == kind and x.line == LineKind.PAY and x.amount > 0]

    @property
    def living(self) -> int:
        return len({x.application.person_id for x in self.paying(Kind.LIVING)})

    @property
    def nursing(self) -> int:
        return len({x.application.person_id for x in self.paying(Kind.NURSING)})

    @property
    def amount(self) -> Decimal:
        return sum((x.amount for x in self.lines), Decimal(0))

    def changes(self) -> dict[str, int]:
        count = {"new": 0, "stopped": 0, "changed": 0}
        for x in self.lines:
            if x.change in count:
                count[x.change] += 1
        return count

    def corrections(self) -> list[Line]:
        return [x for x in self.lines if x.line in (LineKind.ARREARS, LineKind.RECOVERY)]

    def summary(self) -> dict[str, object]:
        return {
            "living": self.living,
            "nursing": self.nursing,
            "amount": f"{self.amount:.2f}",
            "changes": self.changes(),
        }


def region_applications(region: Region) -> list[Application]:
    """The approved (or since ended) applications of the region's subtree, with their people."""
    return list(
        Application.objects.filter(
            Q(region__path__startswith=region.path) | Q(region=region),
            status__in=[Status.APPROVED, Status.ENDED],
            approved_on__isnull=False,
        )
        .select_related("person", "person__region", "region")
        .order_by("pk")
    )


def payments(
    applications: list[Application], month: datetime.date, *, rules: Rules | None = None
) -> dict[int, Payment]:
    """Each application's payment in ``month`` (0 with the reason when nothing is due)."""
    month = month_start(month)
    rules = rules or Rules()
    due = [a for a in applications if a.month <= month and (a.ended_from is None or a.ended_from > month)]
    persons = list({a.person_id: a.person for a in due}.values())
    found = eligibility_many(persons, month=month, rules=rules) if persons else {}
    out: dict[int, Payment] = {}
    for a in applications:
        if a.month > month:
            continue
        if a.ended_from is not None and a.ended_from <= month:
            out[a.pk] = Payment(a, Decimal(0), 0, None, _("复核未通过，停发"))
            continue
        e = found[(a.person_id, a.kind)]
        out[a.pk] = Payment(a, e.amount, e.level, e, "" if e.eligible else e.why_not())
    return out


def _paid_so_far(region: Region, before: datetime.date) -> dict[tuple[int, datetime.date], Decimal]:
    """What approved rosters of the region before ``before`` paid for each (application, month)."""
    since = add_months(before, -CORRECTION_MONTHS)
    rows = (
        RosterLine.objects.filter(
            roster__region=region, roster__month__lt=before, for_month__gte=since, for_month__lt=before
        )
        .values("application_id", "for_month")
        .annotate(total=Sum("amount"))
    )
    return {(r["application_id"], r["for_month"]): r["total"] for r in rows}


def roster_compute(region: Region, month: datetime.date) -> Computed:
    """The roster of ``region`` for ``month`` computed now from the facts: payments, the changes
    since the previous month (its approved roster if there is one, else its rebuild), and the
    corrections of approved earlier months."""
    month = month_start(month)
    rules = Rules()
    applications = region_applications(region)
    now = payments(applications, month, rules=rules)
    previous_month = add_months(month, -1)
    before = Roster.objects.filter(region=region, month=previous_month).first()
    if before is not None:
        prev: dict[int, Decimal] = defaultdict(Decimal)
        for app_id, amount in before.lines.filter(line=LineKind.PAY).values_list("application_id", "amount"):
            prev[app_id] += amount
    else:
        prev = {k: p.amount for k, p in payments(applications, previous_month, rules=rules).items()}
    out = Computed(region=region, month=month)
    for a in applications:
        p = now.get(a.pk)
        was = prev.get(a.pk, Decimal(0))
        amount = p.amount if p else Decimal(0)
        if amount > 0:
            change = Change.NEW if was <= 0 else (Change.CHANGED if was != amount else Change.SAME)
            reason = ""
            if change == Change.CHANGED:
                reason = _("每月 %(a)s 元改为 %(b)s 元") % {"a": f"{was:.2f}", "b": f"{amount:.2f}"}
            out.lines.append(
                Line(a, a.kind, LineKind.PAY, month, amount, p.level if p else 0, change, reason)
            )
        elif was > 0:
            why = p.reason if p else _("不符合条件")
            out.lines.append(
                Line(a, a.kind, LineKind.STOP, month, Decimal(0), p.level if p else 0, Change.STOPPED, why)
            )
    # corrections of approved months: their rebuild against what was paid for them
    paid = _paid_so_far(region, month)
    months = sorted(
        {m for (_a, m) in paid}
        | set(
            Roster.objects.filter(
                region=region, month__lt=month, month__gte=add_months(month, -CORRECTION_MONTHS)
            ).values_list("month", flat=True)
        )
    )
    approved_months = set(
        Roster.objects.filter(region=region, month__in=months).values_list("month", flat=True)
    )
    for m in sorted(approved_months):
        rebuilt = payments(applications, m, rules=rules)
        for a in applications:
            should = rebuilt[a.pk].amount if a.pk in rebuilt else Decimal(0)
            had = paid.get((a.pk, m), Decimal(0))
            diff = should - had
            if diff == 0:
                continue
            p = rebuilt.get(a.pk)
            if diff > 0:
                reason = _("%(m)s 应发 %(s)s 元，已发 %(h)s 元") % {
                    "m": f"{m:%Y-%m}",
                    "s": f"{should:.2f}",
                    "h": f"{had:.2f}",
                }
                kind = LineKind.ARREARS
            else:
                why = p.reason if p and p.reason else ""
                reason = _("%(m)s 应发 %(s)s 元，已发 %(h)s 元") % {
                    "m": f"{m:%Y-%m}",
                    "s": f"{should:.2f}",
                    "h": f"{had:.2f}",
                }
                reason += f"（{why}）" if why else ""
                kind = LineKind.RECOVERY
            out.lines.append(Line(a, a.kind, kind, m, diff, p.level if p else 0, "", reason))
    return out


def roster_for(region: Region, month: datetime.date) -> Computed:
    """The approved roster of the month as it was kept, or the month computed now."""
    month = month_start(month)
    approved = Roster.objects.filter(region=region, month=month).first()
    if approved is None:
        return roster_compute(region, month)
    return stored(approved)


def stored(roster: Roster) -> Computed:
    out = Computed(region=roster.region, month=roster.month, approved=roster)
    for r in roster.lines.select_related("application", "application__person", "person").order_by(
        "kind", "line", "pk"
    ):
        out.lines.append(
            Line(r.application, r.kind, r.line, r.for_month, r.amount, r.level, r.change, r.reason)
        )
    return out


def rebuild_differences(roster: Roster) -> list[tuple[Application, Decimal, Decimal]]:
    """The month of an approved roster rebuilt now from the facts, against what it paid: the
    applications whose amount differs (application, paid, rebuilt). Empty while no fact about the
    month has changed since."""
    applications = region_applications(roster.region)
    rebuilt = payments(applications, roster.month)
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for app_id, amount in roster.lines.filter(line=LineKind.PAY).values_list("application_id", "amount"):
        paid[app_id] += amount
    by_pk = {a.pk: a for a in applications}
    out = []
    for pk in sorted(set(paid) | {k for k, p in rebuilt.items() if p.amount > 0}):
        now = rebuilt[pk].amount if pk in rebuilt else Decimal(0)
        if now != paid.get(pk, Decimal(0)) and pk in by_pk:
            out.append((by_pk[pk], paid.get(pk, Decimal(0)), now))
    return out


def roster_in(region: Region, month: datetime.date, *, user: Any = None) -> Computed:
    """The roster of ``region``'s street for ``month`` (as approved, or computed now) narrowed to
    ``region``'s subtree and, with a user, to what the user may see; a region above the streets
    (a county) is computed over its whole subtree."""
    from .access import street_of

    street = street_of(region)
    computed = roster_for(street, month) if street is not None else roster_compute(region, month)
    regions = Region.objects.filter(path__startswith=region.path)
    if user is not None:
        regions = regions.visible_to(user)
    if street is not None and region.pk != street.pk or user is not None:
        keep = set(regions.values_list("pk", flat=True))
        computed.lines = [x for x in computed.lines if x.application.region_id in keep]
    return computed
