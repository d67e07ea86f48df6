"""The demo's service work in 市西街道 (seed 000): professional organizations with their cases and
groups, community activities, studios and their requests, volunteer teams and their hours."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.accounts.services import role_grant
from wushe.appeals import services as appeal_services
from wushe.appeals.models import Channel, Step, Studio, TeamKind
from wushe.casework import services as case_services
from wushe.casework.models import ActivityKind, OrganizerKind
from wushe.core.idgen import person_name
from wushe.core.models import Region, RegionLevel, Satisfaction
from wushe.partners.models import OrganizationKind, UnitKind
from wushe.partners.services import organization_get_or_create, responsibility_unit_get_or_create
from wushe.projects.services import project_get_or_create
from wushe.registry.models import DisabilityCertificate, Person
from wushe.volunteers import services as volunteer_services
from wushe.volunteers.models import ServiceKind, Team

from .days import OBSERVANCES, working_days
from .service_common import (
    ACTIVITY_TITLES,
    APPEAL_TOPICS,
    FIRST_DAY,
    GROUP_THEMES,
    LAST_DAY,
    NAMED_TEAMS,
    PROFESSIONAL_ORGANIZATIONS,
    SHIXI_ACTIVITIES,
    SHIXI_CASES,
    SHIXI_GROUPS,
    SHIXI_TEAMS,
    SHIXI_VOLUNTEERS,
    STUDIO_PROJECTS,
    STUDIOS,
    TEAM_KINDS,
    advance_case,
    at,
    communities,
    day_of,
    persons,
    walk_appeal,
    workers,
)
from .texts import CASE_REASONS


class ShixiServices:
    def __init__(self, seeder: Any, street: Region, rng: random.Random) -> None:
        self.seeder, self.street, self.rng = seeder, street, rng
        self.communities = communities(street)
        self.by_name = {c.name: c for c in self.communities}
        self.workers = workers(street)

    def run(self) -> None:
        self.orgs = [
            organization_get_or_create(
                acting_user=None, region=self.street, kind=OrganizationKind.PROFESSIONAL, name=n
            )
            for n in PROFESSIONAL_ORGANIZATIONS
        ]
        self.disabled = persons(self.street, disabled=True)
        self.cases()
        self.groups()
        self.teams()
        self.studios()
        self.activities()
        self.seeder.out.write(
            "市西街道 service work: done (logins studio1–studio3: the studios; team1–team4: team leaders)"
        )

    def worker_for(self, person: Person) -> User | None:
        community = person.region.parent if person.region.level == RegionLevel.GRID else person.region
        name = community.name if community else ""
        return next((w for w in self.workers if w.display_name.startswith(name)), None) or (
            self.workers[0] if self.workers else None
        )

    def cases(self) -> None:
        rng = self.rng
        people = self.disabled[:: max(1, len(self.disabled) // SHIXI_CASES)][:SHIXI_CASES]
        category = dict(
            DisabilityCertificate.objects.filter(person__in=people, valid_to__isnull=True).values_list(
                "person_id", "category"
            )
        )
        for i, person in enumerate(people):
            opened = day_of(rng, FIRST_DAY, datetime.date(2026, 9, 30))
            reasons = CASE_REASONS[category[person.pk]]
            case = case_services.case_open(
                acting_user=None,
                person=person,
                reason=reasons[i % len(reasons)],
                opened_on=opened,
                organization=self.orgs[i % len(self.orgs)],
                worker=self.worker_for(person),
                project="“1+1+N”精准助残服务",
                next_due=opened + datetime.timedelta(days=7),
            )
            advance_case(case, target=(4, 4, 3, 2, 1, 4)[i % 6], opened=opened, rng=rng)

    def groups(self) -> None:
        rng = self.rng
        by_community: dict[int, list[Person]] = {}
        for p in self.disabled:
            key = (
                p.region.parent_id
                if p.region.level == RegionLevel.GRID and p.region.parent_id
                else p.region_id
            )
            by_community.setdefault(key, []).append(p)
        for i in range(SHIXI_GROUPS):
            community = self.communities[i % len(self.communities)]
            name, goal = GROUP_THEMES[i % len(GROUP_THEMES)]
            pool = by_community.get(community.pk, [])
            members = pool[(i // len(self.communities)) * 6 :][:8] or pool[:8]
            starts = day_of(rng, FIRST_DAY, datetime.date(2026, 8, 31))
            group = case_services.group_create(
                acting_user=None,
                region=community,
                name=f"{community.name}{name}",
                goal=goal,
                starts_on=starts,
                organization=self.orgs[i % len(self.orgs)],
                workers=[w for w in self.workers if w.display_name.startswith(community.name)][:2],
                members=members,
            )
            day = starts
            for n in range(rng.randint(3, 6)):
                day = min(day + datetime.timedelta(days=7), LAST_DAY)
                case_services.group_session_record(
                    acting_user=None,
                    group=group,
                    on=day,
                    topic=f"第{n + 1}节：{('相互认识', '分享经验', '技能练习', '成果展示', '回顾与展望', '结束与告别')[n]}",
                    attendees=[m for m in members if rng.random() < 0.85],
                )

    def teams(self) -> None:
        rng = self.rng
        names = list(NAMED_TEAMS)
        for kind in TEAM_KINDS:
            for c in self.communities:
                if len(names) < SHIXI_TEAMS:
                    names.append(f"{c.name}{kind}志愿服务队")
        sizes = [
            SHIXI_VOLUNTEERS // SHIXI_TEAMS + (1 if i < SHIXI_VOLUNTEERS % SHIXI_TEAMS else 0)
            for i in range(SHIXI_TEAMS)
        ]
        self.teams_made: list[Team] = []
        for i, (name, size) in enumerate(zip(names, sizes, strict=True)):
            community = self.communities[i % len(self.communities)]
            org = organization_get_or_create(
                acting_user=None, region=community, kind=OrganizationKind.VOLUNTEER_TEAM, name=name
            )
            leader_name = person_name(rng)
            leader = None
            if i < len(NAMED_TEAMS):  # the named teams' leaders have logins
                leader = self.seeder.user(f"team{i + 1}", f"{name}队长{leader_name}")
            team = volunteer_services.team_get_or_create(
                acting_user=None,
                organization=org,
                sponsor=self.orgs[i % len(self.orgs)] if i % 3 == 0 else None,
                leader=leader,
                leader_name=leader_name,
            )
            rows = [
                volunteer_services.VolunteerRow(
                    name=person_name(rng),
                    joined_on=day_of(rng, datetime.date(2024, 3, 1), datetime.date(2026, 6, 30)),
                )
                for _n in range(size)
            ]
            volunteer_services.volunteer_bulk_create(acting_user=None, team=team, rows=rows)
            self.teams_made.append(team)
        # hours of the named teams' volunteers: most verified, some waiting for the leader
        records = []
        for team in self.teams_made[:12]:
            for volunteer in team.volunteers.order_by("number")[:10]:
                for _n in range(rng.randint(1, 4)):
                    kind = rng.choice(
                        (ServiceKind.MEAL, ServiceKind.CLEAN, ServiceKind.EMERGENCY, ServiceKind.MEDICAL)
                    )
                    records.append(
                        volunteer_services.service_record_prepare(
                            acting_user=None,
                            volunteer=volunteer,
                            on=day_of(rng, max(volunteer.joined_on, FIRST_DAY), LAST_DAY),
                            hours=rng.choice(("1.5", "2", "2.5", "3", "4")),
                            kind=kind,
                            content=f"为残疾人家庭提供{ServiceKind(kind).label}服务",
                            verified=rng.random() < 0.8,
                        )
                    )
        volunteer_services.service_records_bulk_log(acting_user=None, records=records)
        first = self.teams_made[0].volunteers.order_by("number").first()
        if first is not None:
            volunteer_services.proof_issue(acting_user=None, volunteer=first, issued_on=LAST_DAY)

    def studios(self) -> None:
        rng = self.rng
        units = [
            responsibility_unit_get_or_create(
                acting_user=None, region=self.street, kind=UnitKind.CIVIL_AFFAIRS, name="市西街道民政所",
                duties="残疾人补贴、救助政策落实",
            ),
            responsibility_unit_get_or_create(
                acting_user=None, region=self.street, kind=UnitKind.STATION, name="市西街道社工站",
                duties="个案、小组服务和资源链接",
            ),
        ] + [
            responsibility_unit_get_or_create(acting_user=None, region=self.street, kind=UnitKind.ORGANIZATION, organization=o)
            for o in self.orgs[:2]
        ]  # fmt: skip
        self.studios_made: list[Studio] = []
        steps = [Step.REGISTER, Step.RECEIVE, Step.REFER, Step.HANDLE, Step.FEEDBACK, Step.ARCHIVE]
        for s, (name, community_name, theme) in enumerate(STUDIOS):
            community = self.by_name.get(community_name, self.communities[s])
            org = organization_get_or_create(
                acting_user=None, region=community, kind=OrganizationKind.STUDIO, name=name
            )
            studio = appeal_services.studio_get_or_create(
                acting_user=None,
                organization=org,
                theme=theme,
                teams={
                    TeamKind.PARTY: f"{person_name(rng)}（党代表）",
                    TeamKind.NPC: f"{person_name(rng)}（人大代表）",
                    TeamKind.CPPCC: f"{person_name(rng)}（政协委员）",
                },
            )
            self.studios_made.append(studio)
            for p, (title, kind, target) in enumerate(STUDIO_PROJECTS):
                project_get_or_create(
                    acting_user=None,
                    region=community,
                    name=f"{theme}·{title}",
                    kind=kind,
                    organization=org,
                    funding_source="社区慈善基金",
                    budget=Decimal(5000 + 1000 * p),
                    start_on=datetime.date(2026, 1 + 2 * p, 1),
                    end_on=datetime.date(2026, 12, 31),
                    target_group=target,
                )
            user = self.seeder.user(f"studio{s + 1}", f"{name}")
            role_grant(user=user, role=Role.STUDIO, organization=org)
            residents = [p for p in self.disabled if p.region.path.startswith(community.path)]
            for n in range(18):
                category, content = APPEAL_TOPICS[n % len(APPEAL_TOPICS)]
                to = steps[n % 6] if n < 12 else Step.ARCHIVE
                # the open ones were registered in November (some are past their deadline now)
                start = (
                    day_of(rng, datetime.date(2026, 11, 2), datetime.date(2026, 11, 20))
                    if to != Step.ARCHIVE
                    else day_of(rng, datetime.date(2026, 3, 2), datetime.date(2026, 10, 30))
                )
                person = residents[n % len(residents)] if residents and n % 3 else None
                appeal = appeal_services.appeal_register(
                    acting_user=None,
                    studio=studio,
                    channel=Channel.WALK_IN if n % 2 else Channel.VISIT,
                    team=TeamKind.values[n % 3],
                    category=category,
                    content=content,
                    person=person,
                    requester_name="" if person else person_name(rng),
                    requester_phone="" if person else f"135{rng.randint(10000000, 99999999)}",
                    at=at(start, 9),
                )
                if to != Step.REGISTER:
                    walk_appeal(appeal, to=to, start=start, unit=units[n % len(units)], rng=rng,
                                 satisfaction=Satisfaction.BASIC if n % 7 == 0 else Satisfaction.SATISFIED)  # fmt: skip

    def activities(self) -> None:
        """200+ community activities: those of the named days on their dates (全国助残日 on the
        third Sunday of May, 重阳节 on the ninth of the ninth lunar month …), held by every
        community or by some, and the communities' own through the year on working days. The
        activities draw from a generator of their own."""
        rng = random.Random(20260517)  # noqa: S311 — demo data, not security
        year = FIRST_DAY.year
        planned = [
            (community, o.publicity, o.title, o.day(year))
            for o in OBSERVANCES
            for c, community in enumerate(self.communities)
            if c % o.every == 0
        ]
        days = working_days(FIRST_DAY, LAST_DAY)
        for n in range(SHIXI_ACTIVITIES - len(planned)):
            kind, title = ACTIVITY_TITLES[n % len(ACTIVITY_TITLES)]
            planned.append(
                (
                    self.communities[n % len(self.communities)],
                    kind == ActivityKind.PUBLICITY,
                    title,
                    rng.choice(days),
                )
            )
        for i, (community, publicity, title, on) in enumerate(
            sorted(planned, key=lambda p: (p[3], p[0].code))
        ):
            organizer_kind, organizer = [
                (OrganizerKind.COMMUNITY, None),
                (OrganizerKind.ORGANIZATION, self.orgs[i % len(self.orgs)]),
                (OrganizerKind.VOLUNTEER_TEAM, self.teams_made[i % len(self.teams_made)].organization),
                (OrganizerKind.STUDIO, self.studios_made[i % len(self.studios_made)].organization),
            ][i % 4]
            participants = rng.randint(15, 80)
            case_services.activity_create(
                acting_user=None,
                region=community,
                kind=ActivityKind.PUBLICITY if publicity else ActivityKind.COMMUNITY,
                title=f"{community.name}{title}",
                on=on,
                place=f"{community.name}党群服务中心",
                organizer_kind=organizer_kind,
                organizer=organizer,
                participants=participants,
                disabled_participants=rng.randint(3, participants // 2),
                volunteers=rng.randint(2, 12),
                leaflets=rng.randint(50, 300) if publicity else rng.randint(0, 40),
                questions_answered=rng.randint(5, 60) if publicity else 0,
            )  # fmt: skip
