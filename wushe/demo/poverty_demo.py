"""The demo's poverty work in 云门山街道 (seed 002): every one of its 210 households checked against
两不愁三保障 and 饮水安全 in November 2026, on the social workers' visits; a few old houses and
wells failing (each a need of its grid's unit, source 入户核查 — the 390 problems found on the
visits are separate records and keep their figures); the households tagged 监测对象 taken through
the five steps of 防返贫监测 with a measure each, one lead still waiting past its deadline; and
the early-warning rules run once as of the last day."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from wushe.core.models import Region, RegionLevel
from wushe.poverty import services as poverty
from wushe.poverty.models import HouseholdCheck, Item, Stage
from wushe.registry.household_tags import valid_on
from wushe.registry.models import Household, PersonTag
from wushe.visits.models import Visit

from .outreach import LAST_DAY

CHECK_FROM = datetime.date(2026, 11, 2)
UNSAFE_HOUSES = 6  # old houses graded C: 住房安全 not met
UNSAFE_WATER = 4  # wells with poor water quality
RISKS = ["illness", "disability", "schooling", "accident", "employment", "disaster"]
MEASURES = [
    ("health", "落实慢病签约服务和医疗救助"),
    ("employment", "推荐公益性岗位"),
    ("education", "落实教育资助"),
    ("assistance", "纳入临时救助"),
    ("industry", "发展庭院种植"),
]


def seed_poverty(seeder: Any) -> None:
    street = Region.objects.filter(name="云门山街道", level=RegionLevel.STREET).first()
    if street is None:
        return
    if HouseholdCheck.objects.filter(region__path__startswith=street.path).exists():
        seeder.out.write("云门山街道 poverty work: already there")
        return
    rng = random.Random(20261102)  # noqa: S311 — demo data, not security
    households = list(Household.objects.in_region(street).select_related("region").order_by("id"))
    last_visit: dict[int, Visit] = {}
    for seen in (
        Visit.objects.in_region(street).filter(visited_on__gte=CHECK_FROM).order_by("visited_on", "id")
    ):
        if seen.household_id is not None:
            last_visit[seen.household_id] = seen
    span = (LAST_DAY - CHECK_FROM).days
    for n, household in enumerate(households):
        visit = last_visit.get(household.pk)
        day = visit.visited_on if visit is not None else CHECK_FROM + datetime.timedelta(days=n % span)
        members = max(1, household.active_members)
        per_person = Decimal(rng.randrange(7000, 16000, 100))
        items: dict[str, Any] = {}
        grade = "B" if n % 5 == 0 else "A"
        if n < UNSAFE_HOUSES:
            grade = "C"
            items[Item.HOUSING] = poverty.ItemInput(passed=False, finding="老旧土坯房，墙体开裂")
        elif n < UNSAFE_HOUSES + UNSAFE_WATER:
            items[Item.WATER_QUALITY] = poverty.ItemInput(passed=False, finding="自备井水浑浊，需接入自来水")
        poverty.household_check_record(
            acting_user=None,
            household=household,
            items=items,
            income=per_person * members,
            members=members,
            checked_on=day,
            housing_grade=grade,
            hollow_house=n % 37 == 0,
            dibao_outcome="kept" if n % 3 == 0 else "",
            visit=visit,
        )
    _monitoring(street, households, rng)
    poverty.early_warning_run(on=LAST_DAY)
    seeder.out.write("云门山街道 poverty work: done")


def _monitoring(street: Region, households: list[Household], rng: random.Random) -> None:
    """The households whose members carry 监测对象: each through the five steps in 2026."""
    monitored_ids = set(
        PersonTag.objects.filter(valid_on(LAST_DAY), tag__code="monitored", person__household__in=households)
        .values_list("person__household_id", flat=True)
        .distinct()
    )
    chosen = [h for h in households if h.pk in monitored_ids]
    for n, household in enumerate(chosen):
        start = datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * n)
        lead = poverty.lead_create(
            acting_user=None,
            household=household,
            source=["declared", "screening", "department"][n % 3],
            kind=["unstable", "edge", "sudden"][n % 3],
            risk_type=RISKS[n % len(RISKS)],
            reason="收入下降，存在返贫致贫风险",
            raised_on=start,
        )
        if n == len(chosen) - 1:  # one left at 民主评议, past its deadline
            poverty.lead_step(
                acting_user=None, lead=lead, step=Stage.VERIFY, done_on=start + datetime.timedelta(days=2)
            )
            continue
        days = iter((1, 2, 8, 10, 12))
        for step in (Stage.VERIFY, Stage.REVIEW, Stage.NOTICE, Stage.TOWNSHIP, Stage.COUNTY):
            done = start + datetime.timedelta(days=next(days))
            notice = (start + datetime.timedelta(days=3), done) if step == Stage.NOTICE else (None, None)
            lead = poverty.lead_step(
                acting_user=None,
                lead=lead,
                step=step,
                done_on=done,
                notice_from=notice[0],
                notice_to=notice[1],
                no_labour=n % 6 == 5,
            )
        kind, text = MEASURES[n % len(MEASURES)]
        poverty.measure_add(
            acting_user=None,
            monitored=lead.object,
            kind=kind,
            description=text,
            cadre=f"帮扶干部{rng.randint(1, 20):02d}",
            started_on=start + datetime.timedelta(days=13),
        )
