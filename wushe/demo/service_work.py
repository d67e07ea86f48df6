"""The demo's service work (issue 6): cases, groups, activities, studios and their requests,
volunteer teams with their volunteers and hours — all through the services, dated in 2026.

市西街道 (seed 000): 5 professional organizations run 108 cases and 34 groups; 200+ community
activities; 3 "社会组织+两代表一委员" studios whose requests stand at every one of the six steps
(some overdue); 131 volunteer teams with 2,960 volunteers.
云门山街道 (seed 002): the grid social workers' poverty-work cases, groups and activities (80+
services) and the requests found on home visits, 190+ of them solved and archived in October
and November.

Deterministic (its own seeded generator) and idempotent (a street already holding its service
work is left alone).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.accounts.services import role_grant
from wushe.appeals import services as appeal_services
from wushe.appeals.models import Appeal, Category, Channel, Step, Studio, TeamKind
from wushe.casework import services as case_services
from wushe.casework.models import ActivityKind, Case, CaseStage, OrganizerKind
from wushe.core.idgen import person_name
from wushe.core.models import Region, RegionLevel, Satisfaction
from wushe.partners.models import OrganizationKind, UnitKind
from wushe.partners.services import organization_get_or_create, responsibility_unit_get_or_create
from wushe.projects.models import ProjectKind
from wushe.projects.services import project_get_or_create
from wushe.registry.models import Person, PersonStatus
from wushe.volunteers import services as volunteer_services
from wushe.volunteers.models import ServiceKind, Team

TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = datetime.date(2026, 1, 5)
LAST_DAY = datetime.date(2026, 11, 30)

PROFESSIONAL_ORGANIZATIONS = [
    "滨州市如北辰社会工作服务中心",
    "滨城区海燕社会工作服务中心",
    "阳光家庭关爱服务中心",
    "医路相助社会工作服务中心",
    "滨城区仁爱社会工作服务中心",
]
STUDIOS = [
    ("如北辰“社会组织+两代表一委员”助残特色工作室", "利民社区", "星空家园温暖工作室"),
    ("海燕“社会组织+两代表一委员”助残特色工作室", "彩虹湖社区", "彩虹人生"),
    ("仁爱“社会组织+两代表一委员”助残特色工作室", "双丰社区", "思源互助"),
]
# "3 studios … 12 projects": each studio carries out four projects of its own this year.
STUDIO_PROJECTS = [
    ("政策宣讲进家门", ProjectKind.DISABILITY, "残疾人家庭"),
    ("居家就业技能培训", ProjectKind.EMPLOYMENT, "就业年龄段残疾人"),
    ("康复陪伴计划", ProjectKind.REHAB, "重度残疾人"),
    ("代表委员接待日", ProjectKind.ACTIVITY, "社区居民"),
]
# The article names the first four of 市西街道's 131 teams.
NAMED_TEAMS = ["思源志愿服务队", "久久红盾志愿服务队", "活塞志愿服务队", "“魏”爱前行志愿服务队"]
TEAM_KINDS = ["助残", "巾帼", "党员", "青年", "邻里互助", "银龄"]
SHIXI_TEAMS = 131
SHIXI_VOLUNTEERS = 2960
SHIXI_CASES = 108
SHIXI_GROUPS = 34
SHIXI_ACTIVITIES = 212

# 2026 public holidays and make-up working days (国务院办公厅 notice on the 2026 holidays, as
# configuration: an operator corrects it in the admin).
HOLIDAYS_2026 = {
    "元旦": (["2026-01-01", "2026-01-02", "2026-01-03"], ["2026-01-04"]),
    "春节": ([f"2026-02-{d}" for d in range(15, 24)], ["2026-02-14", "2026-02-28"]),
    "清明节": (["2026-04-04", "2026-04-05", "2026-04-06"], []),
    "劳动节": ([f"2026-05-0{d}" for d in range(1, 6)], ["2026-05-09"]),
    "端午节": (["2026-06-19", "2026-06-20", "2026-06-21"], []),
    "中秋节": (["2026-09-25", "2026-09-26", "2026-09-27"], []),
    "国庆节": ([f"2026-10-0{d}" for d in range(1, 8)], ["2026-09-20", "2026-10-10"]),
}

CASE_REASONS = [
    "肢体残疾，独居，日常生活照料不足",
    "精神障碍康复期，家属照护压力大",
    "视力残疾，出行困难，需要辅具适配",
    "智力残疾青年，有辅助就业意愿",
    "重度残疾，家庭经济困难，需要链接救助政策",
    "听力残疾老人，与家人沟通困难，情绪低落",
]
GROUP_THEMES = [
    ("残疾人康复互助小组", "通过同伴支持和康复训练提升肢体功能与信心"),
    ("精神障碍家属支持小组", "缓解照护者压力，学习照护和危机应对方法"),
    ("手工技能小组", "学习非遗手工技艺，增加灵活就业机会"),
    ("直播带货技能小组", "学习短视频与直播销售，拓展就业渠道"),
    ("亲子沟通小组", "改善残疾儿童家庭的亲子沟通"),
]
ACTIVITY_TITLES = [
    (ActivityKind.COMMUNITY, "助残康复健身活动"),
    (ActivityKind.COMMUNITY, "残疾人生日会"),
    (ActivityKind.COMMUNITY, "无障碍出行体验活动"),
    (ActivityKind.PUBLICITY, "残疾人两项补贴政策宣传"),
    (ActivityKind.PUBLICITY, "全国助残日宣传活动"),
    (ActivityKind.PUBLICITY, "康复辅助器具租赁宣传"),
]
APPEAL_TOPICS = [
    (Category.HELP, "家中卫生间需要无障碍改造"),
    (Category.HELP, "轮椅损坏，申请辅具维修或租赁"),
    (Category.CONSULT, "咨询重度残疾人护理补贴的申请条件"),
    (Category.SUGGESTION, "建议小区入口增设无障碍坡道"),
    (Category.HELP, "独居老人希望有人定期上门助洁"),
    (Category.COMPLAINT, "楼道堆放杂物影响轮椅通行"),
]
POVERTY_TOPICS = [
    (Category.HELP, "住房屋顶漏雨，申请危房改造"),
    (Category.HELP, "孩子上学交通困难"),
    (Category.CONSULT, "咨询医疗救助报销比例"),
    (Category.HELP, "饮水管道老化，需要维修"),
    (Category.HELP, "希望为家人安排公益岗位"),
    (Category.CONSULT, "咨询防返贫监测政策"),
]


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def day_of(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _street(name: str) -> Region | None:
    return Region.objects.filter(name=name, level=RegionLevel.STREET).first()


def _communities(street: Region) -> list[Region]:
    return list(Region.objects.filter(parent=street, level=RegionLevel.COMMUNITY).order_by("code"))


def _persons(street: Region, *, disabled: bool) -> list[Person]:
    qs = Person.objects.in_region(street).filter(status=PersonStatus.ACTIVE)
    if disabled:
        qs = qs.filter(certificates__valid_to__isnull=True)
    return list(
        qs.select_related("region").defer("id_number", "phone", "contact_phone").order_by("id").distinct()
    )


def _workers(street: Region) -> list[User]:
    return list(
        User.objects.filter(grants__role=Role.SOCIAL_WORKER, grants__region__path__startswith=street.path)
        .distinct()
        .order_by("username")
    )


def seed_services(seeder: Any) -> None:
    rng = random.Random(20261201)  # noqa: S311 — demo data, not security
    for label, days in HOLIDAYS_2026.items():
        off, on = days
        for d in off:
            appeal_services.calendar_day_set(
                acting_user=None, date=datetime.date.fromisoformat(d), working=False, name=label
            )
        for d in on:
            appeal_services.calendar_day_set(
                acting_user=None, date=datetime.date.fromisoformat(d), working=True, name=f"{label}调休上班"
            )
    shixi = _street("市西街道")
    if shixi is not None:
        if Team.objects.in_region(shixi).exists():
            seeder.out.write("市西街道 service work: already there")
        else:
            ShixiServices(seeder, shixi, rng).run()
    yunmenshan = _street("云门山街道")
    if yunmenshan is not None:
        if Appeal.objects.in_region(yunmenshan).exists():
            seeder.out.write("云门山街道 service work: already there")
        else:
            YunmenshanServices(seeder, yunmenshan, rng).run()


def _advance_case(case: Case, *, target: int, opened: datetime.date, rng: random.Random) -> None:
    """Walk a case through ``target`` further stages (1 = 评估 … 4 = 结案)."""
    on = opened
    notes = {
        CaseStage.ASSESSMENT: "评估：生活自理能力、家庭支持和社会参与情况",
        CaseStage.PLAN: "计划：每两周上门一次，链接康复和政策资源",
        CaseStage.INTERVENTION: "介入：开始上门服务和资源链接",
        CaseStage.CLOSED: "结案：服务目标基本达成，案主生活状况改善",
    }
    for stage in [CaseStage.ASSESSMENT, CaseStage.PLAN, CaseStage.INTERVENTION, CaseStage.CLOSED][:target]:
        on = min(on + datetime.timedelta(days=rng.randint(5, 20)), LAST_DAY)
        case_services.case_advance(
            acting_user=None,
            case=case,
            stage=stage,
            on=on,
            note=notes[stage],
            goals="提升生活自理能力，改善社会支持" if stage == CaseStage.PLAN else "",
            follow_up_on=on + datetime.timedelta(days=30) if stage == CaseStage.CLOSED else None,
            next_due=on + datetime.timedelta(days=14) if stage != CaseStage.CLOSED else None,
        )
        if stage == CaseStage.INTERVENTION:
            for _n in range(rng.randint(1, 3)):
                on = min(on + datetime.timedelta(days=rng.randint(3, 12)), LAST_DAY)
                case_services.case_service_record(
                    acting_user=None,
                    case=case,
                    on=on,
                    minutes=rng.choice((30, 45, 60, 90, 120)),
                    content=rng.choice(
                        ("上门探访，了解近况", "陪同就医", "链接康复训练资源", "心理疏导", "协助申请补贴")
                    ),
                    worker=case.worker,
                )


def _walk_appeal(
    appeal: Appeal, *, to: str, start: datetime.date, unit: Any, rng: random.Random, resolved: bool = True,
    satisfaction: str = Satisfaction.SATISFIED,
) -> None:  # fmt: skip
    """Take a request through the steps up to and including ``to``."""
    order = [Step.RECEIVE, Step.REFER, Step.HANDLE, Step.FEEDBACK, Step.ARCHIVE]
    day = start
    gaps = {Step.RECEIVE: 0, Step.REFER: 1, Step.HANDLE: rng.randint(1, 3), Step.FEEDBACK: 1, Step.ARCHIVE: 1}
    for step in order[: order.index(Step(to)) + 1]:
        day = min(day + datetime.timedelta(days=gaps[step]), LAST_DAY)
        when = at(day, 10 + order.index(step))
        if step == Step.RECEIVE:
            appeal_services.appeal_receive(
                acting_user=None, appeal=appeal, note="接待诉求人，了解具体情况", at=when
            )
        elif step == Step.REFER:
            appeal_services.appeal_refer(
                acting_user=None, appeal=appeal, unit=unit, note=f"转{unit.name}办理", at=when
            )
        elif step == Step.HANDLE:
            result = "已协调解决" if resolved else "已答复政策规定，暂不具备解决条件"
            appeal_services.appeal_handle(
                acting_user=None, appeal=appeal, resolution=result, resolved=resolved, at=when
            )
        elif step == Step.FEEDBACK:
            appeal_services.appeal_feedback(
                acting_user=None,
                appeal=appeal,
                feedback="电话回访，告知办理结果",
                satisfaction=satisfaction,
                at=when,
            )
        else:
            appeal_services.appeal_archive(acting_user=None, appeal=appeal, note="资料归档", at=when)


class ShixiServices:
    def __init__(self, seeder: Any, street: Region, rng: random.Random) -> None:
        self.seeder, self.street, self.rng = seeder, street, rng
        self.communities = _communities(street)
        self.by_name = {c.name: c for c in self.communities}
        self.workers = _workers(street)

    def run(self) -> None:
        self.orgs = [
            organization_get_or_create(
                acting_user=None, region=self.street, kind=OrganizationKind.PROFESSIONAL, name=n
            )
            for n in PROFESSIONAL_ORGANIZATIONS
        ]
        self.disabled = _persons(self.street, disabled=True)
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
        for i, person in enumerate(people):
            opened = day_of(rng, FIRST_DAY, datetime.date(2026, 9, 30))
            case = case_services.case_open(
                acting_user=None,
                person=person,
                reason=CASE_REASONS[i % len(CASE_REASONS)],
                opened_on=opened,
                organization=self.orgs[i % len(self.orgs)],
                worker=self.worker_for(person),
                project="“1+1+N”精准助残服务",
                next_due=opened + datetime.timedelta(days=7),
            )
            _advance_case(case, target=(4, 4, 3, 2, 1, 4)[i % 6], opened=opened, rng=rng)

    def groups(self) -> None:
        rng = self.rng
        by_community: dict[int, list[Person]] = {}
        for p in self.disabled:
            key = p.region.parent_id if p.region.level == RegionLevel.GRID else p.region_id
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
                    _walk_appeal(appeal, to=to, start=start, unit=units[n % len(units)], rng=rng,
                                 satisfaction=Satisfaction.BASIC if n % 7 == 0 else Satisfaction.SATISFIED)  # fmt: skip

    def activities(self) -> None:
        rng = self.rng
        for i in range(SHIXI_ACTIVITIES):
            community = self.communities[i % len(self.communities)]
            kind, title = ACTIVITY_TITLES[i % len(ACTIVITY_TITLES)]
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
                kind=kind,
                title=f"{community.name}{title}",
                on=day_of(rng, FIRST_DAY, LAST_DAY),
                place=f"{community.name}党群服务中心",
                organizer_kind=organizer_kind,
                organizer=organizer,
                participants=participants,
                disabled_participants=rng.randint(3, participants // 2),
                volunteers=rng.randint(2, 12),
                leaflets=rng.randint(50, 300) if kind == ActivityKind.PUBLICITY else rng.randint(0, 40),
                questions_answered=rng.randint(5, 60) if kind == ActivityKind.PUBLICITY else 0,
            )


class YunmenshanServices:
    """社工+扶贫: the grid social workers' cases and the problems found on home visits."""

    CASES = 32
    REQUESTS_SOLVED = 196
    REQUESTS_OPEN = 8

    def __init__(self, seeder: Any, street: Region, rng: random.Random) -> None:
        self.seeder, self.street, self.rng = seeder, street, rng
        self.communities = _communities(street)
        self.workers = _workers(street)

    def run(self) -> None:
        rng = self.rng
        people = _persons(self.street, disabled=False)
        heads = [p for p in people if p.household_id and p.relation_to_head == "head"] or people
        worker_of = {w.grants.first().region_id: w for w in self.workers}  # type: ignore[union-attr]
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
            _advance_case(case, target=(3, 4)[i % 2], opened=opened, rng=rng)
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
        for i, community in enumerate(self.communities):
            for n in range(2):
                case_services.activity_create(
                    acting_user=None,
                    region=community,
                    kind=ActivityKind.PUBLICITY if n == 0 else ActivityKind.COMMUNITY,
                    title=f"{community.name}{('防返贫政策宣传', '爱心志愿服务')[n]}",
                    on=datetime.date(2026, 5 + n * 3, 10 + i),
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
            _walk_appeal(appeal, to=to, start=start, unit=units[n % 2], rng=rng, satisfaction=satisfaction)
