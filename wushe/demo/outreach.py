"""The demo's outreach records: 五门一声 visits, needs, problems, resources, projects and the
responsibility units of the two streets, built through the services so that the figures of the
articles come out of the records (seed 000: 市西街道, whose visits and needs are in
``shixi_visits``; seed 002: 云门山街道).

Deterministic (its own seeded random generator), idempotent (each part is skipped when its
records are there), dated in 2026 (2026-01-05 .. 2026-11-30).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import Role
from wushe.accounts.services import role_grant, user_create
from wushe.core.models import Region, RegionLevel, Satisfaction
from wushe.needs import services as needs
from wushe.needs.models import Need, NeedCategory, NeedStatus
from wushe.partners.models import Organization, OrganizationKind, ResourceKind, UnitKind
from wushe.partners.services import (
    organization_get_or_create,
    resource_get_or_create,
    responsibility_unit_get_or_create,
)
from wushe.projects.models import ProjectKind
from wushe.projects.services import project_get_or_create
from wushe.registry.models import Household
from wushe.visits.models import Channel, DoorService, Mood, Visit
from wushe.visits.services import VisitInput, visit_bulk_record

from .service_common import need_served
from .shixi_visits import seed_shixi_outreach
from .texts import YMS_NEED_TEXT

TZ = ZoneInfo("Asia/Shanghai")
FIRST_DAY = datetime.date(2026, 1, 5)
LAST_DAY = datetime.date(2026, 11, 30)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))

# 市西街道 (seed 000): the five professional organizations, by the article's names.
SHIXI_PROFESSIONAL = [
    "滨州市如北辰社会工作服务中心",
    "滨城区海燕社会工作服务中心",
    "阳光家庭关爱服务中心",
    "医路相助社会工作服务中心",
    "滨城区仁爱社会工作服务中心",
]
# 20+ community organizations: the article names 启音启智, 心连心, 霞光 and the projects'
# teams; the others are the communities' own groups.
SHIXI_COMMUNITY_ORGS = [
    ("启音启智自闭症儿童康复中心", None),
    ("心连心艺术团", None),
    ("霞光艺术团", None),
    ("彩虹人生互助会", None),
    ("思源互助会", None),
    ("身残志坚非遗手工坊", None),
    ("锄禾农疗坊", None),
    ("汝忆爱家乡助残直播团队", None),
    ("利民社区助残协会", "利民社区"),
    ("碧林花园邻里互助会", "碧林花园社区"),
    ("彩虹湖书画社", "彩虹湖社区"),
    ("双丰社区老年协会", "双丰社区"),
    ("西城社区睦邻服务社", "西城社区"),
    ("黄河社区康复互助会", "黄河社区"),
    ("渤海社区巧手编织社", "渤海社区"),
    ("梧桐社区读书会", "梧桐社区"),
    ("滨河社区夕阳红合唱团", "滨河社区"),
    ("和平社区太极拳协会", "和平社区"),
    ("新华社区助残志愿者协会", "新华社区"),
    ("育才社区家长互助会", "育才社区"),
    ("民安社区手工艺社", "民安社区"),
]
# (provider, resource name, kind, categories, capacity)
SHIXI_RESOURCES = [
    (
        "滨州市如北辰社会工作服务中心",
        "困难重度残疾人居家照护",
        ResourceKind.SERVICE,
        ["daily_care", "cleaning"],
        68,
    ),
    ("滨州市如北辰社会工作服务中心", "康复辅助器具社区租赁", ResourceKind.SERVICE, ["aids", "rehab"], 120),
    ("滨州市如北辰社会工作服务中心", "残疾人家庭心理咨询", ResourceKind.SERVICE, ["psych"], 40),
    ("滨城区海燕社会工作服务中心", "重度残疾人居家助洁与环境改善", ResourceKind.SERVICE, ["cleaning"], 12),
    ("滨城区海燕社会工作服务中心", "残疾人就业创业培训班", ResourceKind.SERVICE, ["employment"], 40),
    ("阳光家庭关爱服务中心", "精神障碍社区康复服务", ResourceKind.SERVICE, ["rehab", "psych"], 50),
    ("医路相助社会工作服务中心", "助医陪诊", ResourceKind.SERVICE, ["medical"], 60),
    ("滨城区仁爱社会工作服务中心", "心理慰藉热线与入户陪伴", ResourceKind.SERVICE, ["psych"], 60),
    ("启音启智自闭症儿童康复中心", "自闭症儿童康复训练", ResourceKind.SERVICE, ["rehab", "education"], 30),
    ("心连心艺术团", "文艺疗愈活动", ResourceKind.SERVICE, ["psych"], 80),
    ("汝忆爱家乡助残直播团队", "家乡助残直播带货岗位", ResourceKind.POSITION, ["employment"], 20),
    ("锄禾农疗坊", "农疗坊辅助就业岗位", ResourceKind.POSITION, ["employment", "rehab"], 25),
]
# Each resource's target group (服务对象): age range, disability categories (1 视力 … 7 多重)
# and levels (1 most severe … 4); a resource not named here serves anyone. Matching ranks by them.
ADULTS = {"age_min": 16, "age_max": 59}  # working age
SHIXI_TARGETS: dict[str, dict[str, Any]] = {
    "困难重度残疾人居家照护": {"disability_levels": [1, 2]},
    "重度残疾人居家助洁与环境改善": {"disability_levels": [1, 2]},
    "康复辅助器具社区租赁": {"disability_categories": [1, 4, 7]},  # 视力、肢体、多重
    "残疾人就业创业培训班": ADULTS,
    "精神障碍社区康复服务": {"age_min": 16, "disability_categories": [5, 6]},
    "自闭症儿童康复训练": {"age_min": 2, "age_max": 14, "disability_categories": [5, 6]},
    "家乡助残直播带货岗位": ADULTS,
    "农疗坊辅助就业岗位": {**ADULTS, "disability_categories": [5, 6], "disability_levels": [3, 4]},
}
# (name, kind, organization, funding, budget, categories, resources, target group, planned)
SHIXI_PROJECTS = [
    ("困难重度残疾人照护", ProjectKind.CARE, "滨州市如北辰社会工作服务中心", "政府购买服务", "180000.00",
     ["daily_care", "cleaning"], ["困难重度残疾人居家照护"], "困难重度残疾人家庭", "照护68户；每月为12名重度残疾人助洁"),
    ("精神障碍社区康复", ProjectKind.REHAB, "阳光家庭关爱服务中心", "政府购买服务", "120000.00",
     ["rehab", "psych"], ["精神障碍社区康复服务"], "精神障碍患者及家庭", "社区康复服务50人"),
    ("康复辅助器具社区租赁", ProjectKind.REHAB, "滨州市如北辰社会工作服务中心", "政府购买服务", "90000.00",
     ["aids", "rehab"], ["康复辅助器具社区租赁"], "有辅具需求的残疾人", "调研评估、入户服务、租赁区运营"),
    ("星空家园温暖工作室", ProjectKind.DISABILITY, "滨城区海燕社会工作服务中心", "社区慈善基金", "20000.00",
     ["psych"], [], "残疾人家庭", "助残活动40次"),
    ("彩虹人生", ProjectKind.DISABILITY, "滨州市如北辰社会工作服务中心", "社区慈善基金", "15000.00",
     ["psych", "employment"], [], "残疾青年", "助残活动30次"),
    ("思源互助", ProjectKind.DISABILITY, "滨城区仁爱社会工作服务中心", "社区慈善基金", "15000.00",
     ["psych"], [], "残疾人及照护者", "互助小组12期"),
    ("身残志坚非遗手工", ProjectKind.EMPLOYMENT, "滨城区海燕社会工作服务中心", "社区慈善基金", "25000.00",
     ["employment"], ["残疾人就业创业培训班"], "有劳动能力的残疾人", "培训20人，灵活就业13人"),
    ("善行市西", ProjectKind.CHARITY, "滨城区仁爱社会工作服务中心", "社区慈善基金", "100000.00",
     ["employment", "rehab", "psych"], ["家乡助残直播带货岗位", "农疗坊辅助就业岗位"], "困难残疾群体", "支持6个助残项目"),
]  # fmt: skip
YMS_VISITS = 6330
YMS_PROBLEMS = 390
YMS_RESOLVED = 385
YMS_UNSATISFIED = 3  # of the 385 problems rated; the 220 met needs are all rated 满意/基本满意
YMS_NEEDS_MET = 220
YMS_NEEDS_OPEN = 30
YMS_PROBLEM_TEXT = [
    "房屋漏雨，需要维修",
    "医保报销手续不清楚",
    "子女上学交通不便",
    "饮水管道老化",
    "务工信息不足",
    "慢性病用药负担重",
    "冬季取暖困难",
    "低保年审材料不会准备",
]
YMS_NEED_CATEGORIES = ["policy", "medical", "employment", "daily_care", "education", "barrier_free"]


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def seed_outreach(seeder: Any) -> None:
    rng = random.Random(20260105)  # noqa: S311 — demo data, not security
    shixi = Region.objects.filter(name="市西街道", level=RegionLevel.STREET).first()
    if shixi is not None:
        _shixi(seeder, rng, shixi)
    yms = Region.objects.filter(name="云门山街道", level=RegionLevel.STREET).first()
    if yms is not None:
        _yunmenshan(seeder, rng, yms)


def _org_login(seeder: Any, username: str, display_name: str, org: Organization) -> None:
    """A demo login of an organization's staff: it sees the needs referred to the organization."""
    user = User.objects.filter(username=username).first() or user_create(
        acting_user=None, username=username, password_hash=seeder.password_hash, display_name=display_name
    )
    role_grant(user=user, role=Role.ORG_STAFF, organization=org)


def _units(street: Region, *, station: str, civil: str) -> None:
    responsibility_unit_get_or_create(
        acting_user=None,
        region=street,
        kind=UnitKind.CIVIL_AFFAIRS,
        name=civil,
        duties="统筹辖区需求清单、资源清单、项目清单，督办逾期需求",
    )
    responsibility_unit_get_or_create(
        acting_user=None,
        region=street,
        kind=UnitKind.STATION,
        name=station,
        duties="社工督导、需求评估与转介",
    )
    for community in Region.objects.filter(parent=street, level=RegionLevel.COMMUNITY).order_by("code"):
        responsibility_unit_get_or_create(
            acting_user=None,
            region=community,
            kind=UnitKind.SUBSTATION,
            name=f"{community.name}社工分站",
            duties="本社区需求摸排、资源统筹与服务对接",
        )
        for grid in Region.objects.filter(parent=community, level=RegionLevel.GRID).order_by("code"):
            responsibility_unit_get_or_create(
                acting_user=None,
                region=grid,
                kind=UnitKind.GRID_WORKER,
                name=f"{grid.name}网格社工",
                duties="五门一声入户走访，发现需求和问题并跟进",
            )


# ---- 市西街道 ---------------------------------------------------------------------------------


def _shixi(seeder: Any, rng: random.Random, street: Region) -> None:
    orgs: dict[str, Organization] = {}
    for name in SHIXI_PROFESSIONAL:
        orgs[name] = organization_get_or_create(
            acting_user=None, region=street, kind=OrganizationKind.PROFESSIONAL, name=name
        )
    communities = {r.name: r for r in Region.objects.filter(parent=street, level=RegionLevel.COMMUNITY)}
    for name, community in SHIXI_COMMUNITY_ORGS:
        region = communities.get(community or "", street)
        orgs[name] = organization_get_or_create(
            acting_user=None, region=region, kind=OrganizationKind.COMMUNITY, name=name
        )
    _units(street, station="市西街道社工站", civil="市西街道民政所")
    for name in SHIXI_PROFESSIONAL:
        responsibility_unit_get_or_create(
            acting_user=None,
            region=street,
            kind=UnitKind.ORGANIZATION,
            organization=orgs[name],
            duties="承接助残服务项目，办理转介的需求",
        )
    resources = {}
    for provider, name, kind, cats, capacity in SHIXI_RESOURCES:
        resources[name] = resource_get_or_create(
            acting_user=None,
            provider=orgs[provider],
            region=street,
            name=name,
            kind=kind,
            categories=cats,
            capacity=capacity,
            available_from=YEAR[0],
            available_to=YEAR[1],
            contact_name="服务专员",
            **SHIXI_TARGETS.get(name, {}),
        )
    _org_login(seeder, "rubeichen", "如北辰社工", orgs[SHIXI_PROFESSIONAL[0]])
    projects = {}
    for name, project_kind, org, funding, budget, cats, res, target, planned in SHIXI_PROJECTS:
        projects[name] = project_get_or_create(
            acting_user=None,
            region=street,
            name=name,
            kind=project_kind,
            organization=orgs[org],
            funding_source=funding,
            budget=Decimal(budget),
            start_on=datetime.date(2026, 1, 1),
            end_on=datetime.date(2026, 12, 31),
            categories=cats,
            resources=[resources[r] for r in res],
            target_group=target,
            planned_indicators=planned,
        )
    if Need.objects.in_region(street).exists():
        seeder.out.write("市西街道 outreach: already there")
        return
    seed_shixi_outreach(street, rng, projects)
    seeder.out.write("市西街道 outreach: done")


# ---- 云门山街道 -------------------------------------------------------------------------------


def _yunmenshan(seeder: Any, rng: random.Random, street: Region) -> None:
    _units(street, station="云门山街道社工站", civil="云门山街道民政所")
    centres = Region.objects.filter(parent=street, level=RegionLevel.COMMUNITY).order_by("code")
    for centre in centres:
        organization_get_or_create(
            acting_user=None,
            region=centre,
            kind=OrganizationKind.PARTY_CENTRE,
            name=f"{centre.name}网格党群服务中心",
        )
    if Visit.objects.in_region(street).exists():
        seeder.out.write("云门山街道 outreach: already there")
        return
    households = list(Household.objects.in_region(street).select_related("region").order_by("id"))
    if not households:
        return
    workers = list(
        RoleGrant.objects.filter(role=Role.SOCIAL_WORKER, region__path__startswith=street.path)
        .select_related("user")
        .order_by("user__username")
    )
    users: list[User | None] = [g.user for g in workers] or [None]
    span = (LAST_DAY - FIRST_DAY).days
    rounds = -(-YMS_VISITS // len(households))
    inputs = []
    for i in range(YMS_VISITS):
        household = households[i % len(households)]
        round_no = i // len(households)
        day = FIRST_DAY + datetime.timedelta(days=min(span, round_no * span // rounds + rng.randint(0, 8)))
        worker = users[i % len(users)]
        inputs.append(
            VisitInput(
                visited_on=day,
                household=household,
                channel=Channel.HOME if i % 9 else Channel.PHONE,
                workers=[worker] if worker else [],
                services_done=[rng.choice(DoorService.values)] if i % 3 == 0 else [],
                policies_explained=1 + (i % 3 == 0),
                policies_note="两不愁三保障、防返贫监测、医保报销政策",
                leaflets=9 if i % 10 < 6 else 8,
                emotional_support="拉家常，了解近况" if i % 4 == 0 else "",
                mood=Mood.GOOD if i % 7 else Mood.FAIR,
                resident_words="感谢社工经常来看我们" if i % 11 == 0 else "",
            )
        )
    visits = visit_bulk_record(acting_user=None, visits=inputs)
    # 390 problems found on visits, 385 resolved; satisfaction asked when resolved
    with_problems = sorted(visits, key=lambda v: (v.visited_on, v.pk))[
        :: max(1, len(visits) // YMS_PROBLEMS)
    ][:YMS_PROBLEMS]
    for n, visit in enumerate(with_problems):
        problem = needs.problem_create(
            acting_user=None,
            household=visit.household,
            visit=visit,
            description=YMS_PROBLEM_TEXT[n % len(YMS_PROBLEM_TEXT)],
            found_on=visit.visited_on,
        )
        if n < YMS_RESOLVED:
            solved = min(LAST_DAY, visit.visited_on + datetime.timedelta(days=3 + n % 15))
            needs.problem_resolve(
                acting_user=None,
                problem=problem,
                resolution="已协调相关部门解决并回访",
                resolved_on=solved,
                satisfaction=Satisfaction.UNSATISFIED
                if n < YMS_UNSATISFIED
                else (Satisfaction.SATISFIED if n % 5 else Satisfaction.BASIC),
                at=_moment(solved, 17),
            )
    _yunmenshan_needs(rng, households)
    seeder.out.write("云门山街道 outreach: done")


def _yunmenshan_needs(rng: random.Random, households: list[Household]) -> None:
    """Needs found on the visits; 220 met between 2026-10-01 and 2026-11-30 (difficulties solved)."""
    categories = {c.code: c for c in NeedCategory.objects.filter(code__in=YMS_NEED_CATEGORIES)}
    for n in range(YMS_NEEDS_MET + YMS_NEEDS_OPEN):
        household = households[(n * 7) % len(households)]
        code = YMS_NEED_CATEGORIES[n % len(YMS_NEED_CATEGORIES)]
        reported = (
            datetime.date(2026, 9, 1) + datetime.timedelta(days=n % 60)
            if n < YMS_NEEDS_MET
            else datetime.date(2026, 11, 1) + datetime.timedelta(days=n % 29)
        )
        need = needs.need_create(
            acting_user=None,
            household=household,
            category=categories[code],
            description=rng.choice(YMS_NEED_TEXT[code]),
            reported_on=reported,
            at=_moment(reported, 9),
        )
        if n >= YMS_NEEDS_MET:
            if n % 2:
                needs.need_advance(
                    acting_user=None, need=need, to_status=NeedStatus.IN_SERVICE, at=_moment(reported, 14)
                )
            continue
        met_day = datetime.date(2026, 10, 1) + datetime.timedelta(days=n % 61)
        need_served(
            need,
            started=_moment(reported, 14),
            met=_moment(met_day, 16),
            note="已解决",
            satisfaction=Satisfaction.SATISFIED if n % 4 else Satisfaction.BASIC,
        )
