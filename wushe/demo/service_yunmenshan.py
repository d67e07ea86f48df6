"""The demo's service work in 云门山街道 (seed 002): the grid social workers' poverty-work cases,
groups and activities, and the requests found on home visits."""

from __future__ import annotations

import datetime
import random
from typing import Any

from wushe.appeals import services as appeal_services
from wushe.appeals.models import Channel, Step
from wushe.casework import services as case_services
from wushe.casework.models import ActivityKind
from wushe.core.models import Region, Satisfaction
from wushe.partners.models import UnitKind
from wushe.partners.services import responsibility_unit_get_or_create
from wushe.registry.models import Person

from .days import CHONGYANG
from .service_common import (
    POVERTY_TOPICS,
    advance_case,
    at,
    communities,
    day_of,
    persons,
    walk_appeal,
    workers,
)


class YunmenshanServices:
    """社工+扶贫: the grid social workers' cases and the problems found on home visits."""

    CASES = 32
    REQUESTS_SOLVED = 196
    REQUESTS_OPEN = 8

    def __init__(self, seeder: Any, street: Region, rng: random.Random) -> None:
        self.seeder, self.street, self.rng = seeder, street, rng
        self.communities = communities(street)
        self.workers = workers(street)

    def run(self) -> None:
        rng = self.rng
        people = persons(self.street, disabled=False)
        heads = [p for p in people if p.household_id and p.relation_to_head == "head"] or people
        worker_of = {g.region_id: w for w in self.workers if (g := w.grants.first()) is not None}
        for i, person in enumerate(heads[: self.CASES]):
            opened = day_of(rng, datetime.date(2026, 2, 2), datetime.date(2026, 8, 31))
            case = case_services.case_open(
                acting_user=None,
                person=person,
                reason="脱贫户“两不愁三保障”核查中发现风险，纳入个案跟进",
                opened_on=opened,
                worker=worker_of.get(
                    person.region_id, self.workers[i % len(self.workers)] if self.workers else None
                ),
                project="社工+扶贫",
            )
            # one or two service records a case: with the groups' sessions and the activities, the
            # article's "80余次" services
            advance_case(case, target=(3, 4)[i % 2], opened=opened, rng=rng, records=1 + i % 2)
        for i, community in enumerate(self.communities[:5]):
            members = [p for p in people if p.region.parent_id == community.pk][:8]
            group = case_services.group_create(
                acting_user=None,
                region=community,
                name=f"{community.name}脱贫户互助小组",
                goal="增强脱贫户发展信心，分享致富技能",
                starts_on=datetime.date(2026, 4, 6) + datetime.timedelta(days=7 * i),
                members=members,
            )
            for n in range(3):
                case_services.group_session_record(
                    acting_user=None,
                    group=group,
                    on=group.starts_on + datetime.timedelta(days=14 * n),
                    topic=f"第{n + 1}节：{('政策解读', '技能分享', '经验交流')[n]}",
                    attendees=members[: 6 + n],
                )
        # each centre's policy publicity in May, and its 重阳节 visit to the elderly on the day
        chongyang = CHONGYANG[2026]
        for i, community in enumerate(self.communities):
            for n in range(2):
                case_services.activity_create(
                    acting_user=None,
                    region=community,
                    kind=ActivityKind.PUBLICITY if n == 0 else ActivityKind.COMMUNITY,
                    title=f"{community.name}{('防返贫政策宣传', '重阳节敬老爱心志愿服务')[n]}",
                    on=datetime.date(2026, 5, 11 + i) if n == 0 else chongyang,
                    place=f"{community.name}网格党群服务中心",
                    participants=rng.randint(30, 90),
                    leaflets=rng.randint(200, 600) if n == 0 else 0,
                    questions_answered=rng.randint(20, 80) if n == 0 else 0,
                )
        self.requests(people)
        self.seeder.out.write("云门山街道 service work: done")

    def requests(self, people: list[Person]) -> None:
        rng = self.rng
        units = [
            responsibility_unit_get_or_create(
                acting_user=None, region=self.street, kind=UnitKind.CIVIL_AFFAIRS, name="云门山街道民政所",
                duties="低保、救助和防返贫监测",
            ),
            responsibility_unit_get_or_create(
                acting_user=None, region=self.street, kind=UnitKind.STATION, name="云门山街道社工站",
                duties="网格社工服务和资源链接",
            ),
        ]  # fmt: skip
        total = self.REQUESTS_SOLVED + self.REQUESTS_OPEN
        for n in range(total):
            person = people[(n * 7) % len(people)]
            category, content = POVERTY_TOPICS[n % len(POVERTY_TOPICS)]
            solved = n < self.REQUESTS_SOLVED
            start = (
                day_of(rng, datetime.date(2026, 9, 28), datetime.date(2026, 11, 20))
                if solved
                else datetime.date(2026, 11, 16) + datetime.timedelta(days=n % 5)
            )
            if solved and start < datetime.date(2026, 10, 8):
                start = datetime.date(2026, 10, 8)  # after the National Day holiday
            appeal = appeal_services.appeal_register(
                acting_user=None,
                channel=Channel.VISIT,
                category=category,
                content=content,
                person=person,
                at=at(start, 9),
            )
            satisfaction = Satisfaction.UNSATISFIED if n == 0 else Satisfaction.SATISFIED
            to = Step.ARCHIVE if solved else (Step.REFER, Step.HANDLE)[n % 2]
            walk_appeal(appeal, to=to, start=start, unit=units[n % 2], rng=rng, satisfaction=satisfaction)
