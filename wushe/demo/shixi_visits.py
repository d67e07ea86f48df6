"""市西街道's 五门一声 (seed 000): its 180 resident social workers, with volunteers, visit the
households of its 906 disabled residents one by one, and the needs found on those visits.

- The first round (逐户走访, March 2026) reaches every household then registered: the article's
  精准摸排 of 186 + 506 + 122 + 92 residents.
- The needs it finds — 心理慰藉, 辅助就业 and 康复训练 for over 100 families — are matched to a
  resource or a project, served and met; a second need of some families is found on a visit in
  July.
- The autumn round (12 October – 27 November) reaches every household again but two in each
  community, whose turn comes in December (they head the 待走访 list); it finds new needs, still
  open at the end of November.

Each household is visited by a social worker of its own community. The visits are recorded in
bulk (``visit_bulk_record``); the needs through the needs' services, each pointing at the visit
that found it. Only working days, in windows without public holidays."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import Role
from wushe.core.idgen import person_name
from wushe.core.models import Region, Satisfaction
from wushe.needs import services as needs
from wushe.needs.matching import need_suggestions
from wushe.needs.models import NeedStatus
from wushe.registry.models import DisabilityCategory, DisabilityCertificate, Household, Person, Relation
from wushe.visits.models import Mood, Visit
from wushe.visits.services import VisitInput, visit_bulk_record

from .days import working_days
from .service_common import at, need_served
from .texts import (
    RESIDENT_WORDS,
    SHIXI_AUTUMN_NEEDS,
    VISIT_POLICIES,
    VISIT_SERVICES,
    shixi_need_text,
)

FIRST_ROUND = (datetime.date(2026, 3, 2), datetime.date(2026, 3, 27))
FOLLOW_UP = (datetime.date(2026, 7, 1), datetime.date(2026, 7, 31))
AUTUMN_ROUND = (datetime.date(2026, 10, 12), datetime.date(2026, 11, 27))
WAITING_PER_COMMUNITY = 2  # households whose autumn visit comes in December
FAMILIES = 108  # "100+ disabled families" given precise services
CODES = ["psych", "employment", "rehab"]


@dataclass
class Head:
    """A household of a disabled resident: its head's disability, age and day of registration."""

    household: Household
    community_id: int
    registered_on: datetime.date
    birth_date: datetime.date
    category: int

    def age_on(self, day: datetime.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass
class Found:
    """A need to register on a visit: its category and text."""

    code: str
    text: str
    autumn: bool = False


class ShixiOutreach:
    def __init__(self, street: Region, rng: random.Random, projects: dict[str, Any]) -> None:
        self.street, self.rng, self.projects = street, rng, projects
        self.own = random.Random(20260302)  # noqa: S311 — demo data (the visits' own generator)
        self.heads = self._heads()
        self.assigned: dict[int, User] = {}  # household → the social worker who visits it
        self.workers: dict[int, list[User]] = defaultdict(list)
        for grant in (
            RoleGrant.objects.filter(role=Role.SOCIAL_WORKER, region__parent=street)
            .select_related("user")
            .order_by("user__username")
        ):
            self.workers[grant.region_id].append(grant.user)

    def _heads(self) -> dict[int, Head]:
        households = Household.objects.in_region(self.street).select_related("region").in_bulk()
        rows = (
            Person.objects.in_region(self.street)
            .filter(relation_to_head=Relation.HEAD, household__isnull=False)
            .values_list("household_id", "region__parent_id", "registered_on", "birth_date", "id")
        )
        categories = dict(
            DisabilityCertificate.objects.in_region(self.street)
            .filter(valid_to__isnull=True)
            .values_list("person_id", "category")
        )
        return {
            hid: Head(households[hid], cast(int, community), registered, birth, categories[pid])
            for hid, community, registered, birth, pid in rows
            if pid in categories
        }

    def run(self) -> None:
        first, autumn, _waiting = self.schedule()
        found = self.plan_needs(first)
        follow_ups = {hid: day for (hid, day) in found if day not in (first.get(hid), autumn.get(hid))}
        fresh = self.plan_autumn_needs(autumn, found)
        found.update(fresh)
        inputs = [self.visit(hid, day, found.get((hid, day))) for hid, day in first.items()]
        inputs += [self.visit(hid, day, found.get((hid, day))) for hid, day in follow_ups.items()]
        inputs += [self.visit(hid, day, found.get((hid, day))) for hid, day in autumn.items()]
        visits = {
            (v.household_id, v.visited_on): v for v in visit_bulk_record(acting_user=None, visits=inputs)
        }
        for n, ((hid, day), item) in enumerate(found.items()):
            need = needs.need_create(
                acting_user=None,
                household=self.heads[hid].household,
                visit=visits[(hid, day)],
                category=item.code,
                description=item.text,
                reported_on=day,
                at=at(day, 11),
            )
            if item.autumn:
                self.leave_open(need, n)
            else:
                self.serve(need, n)

    # -- when each household is visited --------------------------------------------------------
    def schedule(self) -> tuple[dict[int, datetime.date], dict[int, datetime.date], set[int]]:
        """The day of each household's visit in the first and the autumn round, and the households
        still waiting for their autumn visit. A worker visits the households given to them every
        few working days; a household registered after its turn in the first round waits for the
        autumn one."""
        march, autumn_days = working_days(*FIRST_ROUND), working_days(*AUTUMN_ROUND)
        first: dict[int, datetime.date] = {}
        autumn: dict[int, datetime.date] = {}
        waiting: set[int] = set()
        by_community: dict[int, list[int]] = defaultdict(list)
        for hid in sorted(self.heads):
            by_community[self.heads[hid].community_id].append(hid)
        for community_id, households in by_community.items():
            workers = self.workers[community_id]
            planned: list[tuple[datetime.date, int]] = []
            for k, hid in enumerate(households):
                w, j = k % len(workers), k // len(workers)
                head, self.assigned[hid] = self.heads[hid], workers[w]
                day = march[(j * 4 + w) % len(march)]
                if head.registered_on < day:
                    first[hid] = day
                day = autumn_days[(j * 7 + w * 2) % len(autumn_days)]
                if day <= head.registered_on:
                    day = next(d for d in autumn_days if d > head.registered_on)
                planned.append((day, hid))
            # the last turns of the round, among households the first round reached, come in December
            late = [hid for _day, hid in sorted(planned, reverse=True) if hid in first]
            waiting |= set(late[:WAITING_PER_COMMUNITY])
            autumn.update({hid: day for day, hid in planned if hid not in waiting})
        return first, autumn, waiting

    # -- the needs found ----------------------------------------------------------------------
    def plan_needs(self, first: dict[int, datetime.date]) -> dict[tuple[int, datetime.date], Found]:
        """The families given precise services: every few of the households the first round
        reached, each with a need found on that visit (and every fourth with a second one found
        in July); the texts drawn for the category and the resident's disability."""
        reached = sorted(first)
        step = max(1, len(reached) // FAMILIES)
        july = working_days(*FOLLOW_UP)
        found: dict[tuple[int, datetime.date], Found] = {}
        for i, hid in enumerate(reached[::step][:FAMILIES]):
            head = self.heads[hid]
            wanted = [CODES[i % 3]] + ([CODES[(i + 1) % 3]] if i % 4 == 0 else [])
            for j, code in enumerate(wanted):
                day = first[hid] if j == 0 else july[(i * 3) % len(july)]
                if code == "employment" and not 16 <= head.age_on(day) < 60:
                    code = "rehab"  # below or past working age: 康复训练 instead
                found[(hid, day)] = Found(code, self.rng.choice(shixi_need_text(code, head.category)))
        return found

    def plan_autumn_needs(
        self, autumn: dict[int, datetime.date], served: dict[tuple[int, datetime.date], Found]
    ) -> dict[tuple[int, datetime.date], Found]:
        """One need found in each community by the autumn round, in a family not yet served, on
        a visit in the round's second half (the needs of the first half have been met)."""
        taken = {hid for hid, _day in served}
        by_community: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
        for hid, day in autumn.items():
            if hid not in taken:
                by_community[self.heads[hid].community_id].append((day, hid))
        fresh: dict[tuple[int, datetime.date], Found] = {}
        for c, community_id in enumerate(sorted(by_community)):
            visits = sorted(by_community[community_id])
            late = visits[len(visits) // 2 :]
            day, hid = late[(c * 5) % len(late)]
            code, texts = SHIXI_AUTUMN_NEEDS[self.heads[hid].category]
            fresh[(hid, day)] = Found(code, self.own.choice(texts), autumn=True)
        return fresh

    def serve(self, need: Any, n: int) -> None:
        """Matched to a resource (every fifth to a project) three days on, served and met."""
        matched = at(need.reported_on + datetime.timedelta(days=3), 10)
        options = need_suggestions(need=need, on=matched.date())
        project_pick = next((s for s in options if s.kind == "project"), None) if n % 5 == 0 else None
        pick = project_pick or next((s for s in options if s.kind == "resource"), None) or (options[0] if options else None)  # fmt: skip
        if pick is None:
            return
        needs.need_accept(
            acting_user=None,
            need=need,
            resource=pick.target if pick.kind == "resource" else None,
            project=pick.target if pick.kind == "project" else None,
            at=matched,
        )
        need_served(
            need,
            started=at(matched.date(), 15),
            met=at(matched.date() + datetime.timedelta(days=14 + n % 20), 16),
            note="服务完成，回访确认",
            satisfaction=Satisfaction.SATISFIED if n % 6 else Satisfaction.BASIC,
        )

    def leave_open(self, need: Any, n: int) -> None:
        """Where an autumn need stands at the end of November: found in its last fortnight, 待评估
        or 待对接; earlier, 已对接 or 服务中 where a resource serves it (else 待对接)."""
        recent = need.reported_on >= AUTUMN_ROUND[1] - datetime.timedelta(days=14)
        if recent and n % 2 == 0:
            return
        day = need.reported_on + datetime.timedelta(days=2)
        options = [] if recent else [s for s in need_suggestions(need=need, on=day) if s.kind == "resource"]
        if not options:
            needs.need_advance(acting_user=None, need=need, to_status=NeedStatus.TO_MATCH, at=at(day, 10))
            return
        needs.need_accept(acting_user=None, need=need, resource=options[0].target, at=at(day, 10))
        if n % 2:
            needs.need_advance(acting_user=None, need=need, to_status=NeedStatus.IN_SERVICE, at=at(day, 15))

    # -- one visit -----------------------------------------------------------------------------
    def visit(self, hid: int, day: datetime.date, found: Found | None) -> VisitInput:
        """The six parts of 五门一声 for the household's kind of disability."""
        head, rng = self.heads[hid], self.own
        mental = head.category in (DisabilityCategory.MENTAL, DisabilityCategory.INTELLECTUAL)
        return VisitInput(
            visited_on=day,
            household=head.household,
            workers=[self.assigned[hid]],
            volunteers=person_name(rng) if rng.random() < 0.6 else "",
            services_done=[rng.choice(VISIT_SERVICES[head.category])] if rng.random() < 0.4 else [],
            policies_explained=rng.choice((1, 2, 2, 3)),
            policies_note=VISIT_POLICIES[head.category],
            leaflets=rng.choice((1, 2, 2, 3)),
            emotional_support="倾听家属的照护压力，给予情绪支持" if mental else ("拉家常，了解近况" if rng.random() < 0.5 else ""),
            mood=rng.choices([Mood.GOOD, Mood.FAIR, Mood.LOW], weights=(6, 3, 1))[0],
            key_problem=found.text if found else "",
            plan="登记需求，联系资源对接" if found else "",
            resident_words=rng.choice(RESIDENT_WORDS) if rng.random() < 0.15 else "",
        )  # fmt: skip


def seed_shixi_outreach(street: Region, rng: random.Random, projects: dict[str, Any]) -> None:
    """The visits and needs of 市西街道 (skipped by the caller when its needs are there)."""
    if Visit.objects.in_region(street).exists():
        return
    ShixiOutreach(street, rng, projects).run()
