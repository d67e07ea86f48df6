"""The demo's work and income, through the employment services.

市西街道 (seed 000): the "关爱弱势群体 点亮精彩人生" short-video and livestream-selling course (20
disabled residents; at the 3- and 6-month follow-ups 13 earn through flexible employment), the
巧手创业灵活就业手工小组's handicraft course, and 180,000 yuan invested in 3 micro-factories in
利民社区, 碧林花园社区 and 彩虹湖社区 (government money, a charity fund's payment, a project) giving
work to members of 77 disabled families. 云门山街道 (seed 002): 22 families in hardship recommended
by the grid social workers for 民政's public-welfare posts, approved and placed from October.
杨柳雪镇 (滨城区): its 社区微业 job fair, where 32 enterprises offered 224 positions (the demo
registers no residents there: applications and hires are recorded as they come).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from wushe.accounts.roles import Role
from wushe.core.checks import today
from wushe.core.models import Region, RegionLevel
from wushe.core.services import region_get_or_create
from wushe.employment import services
from wushe.employment.models import Attendance, Course, JobFair, WelfarePost
from wushe.funds.models import Disbursement, DisbursementStatus
from wushe.partners.models import Organization, OrganizationKind
from wushe.partners.services import organization_create
from wushe.projects.models import Project
from wushe.registry.models import Household, Person, PersonStatus, Relation

from .service_common import communities, street

COURSE = "关爱弱势群体 点亮精彩人生——短视频制作与直播带货培训班"
TRAINEES = 20
FLEXIBLE = 13  # 9 selling by livestream, 4 taking handicraft orders
FACTORIES = [
    # (community index, name, operator, products, [(amount, source, what)])
    (0, "利民社区助残微工厂", "锄禾农疗坊", "手工串珠、编织挂件",
     [("60000.00", "government", "滨城区残疾人联合会")]),
    (1, "碧林花园社区助残微工厂", "滨城区海燕社会工作服务中心", "非遗手工布艺、香囊",
     [("40000.00", "government", "滨城区人力资源和社会保障局"), ("20000.00", "fund", "身残志坚非遗手工")]),
    (2, "彩虹湖社区助残微工厂", "汝忆爱家乡助残直播团队", "电商包装、直播选品分拣",
     [("60000.00", "project", "善行市西")]),
]  # fmt: skip
FAMILIES = [26, 26, 25]  # 77 disabled families
YMS_PLACED = 22
YANGLIUXUE = ("371602104000", "杨柳雪镇")
FAIR_ENTERPRISES = 32
FAIR_TRADES = ["电子商务", "食品加工", "纺织服装", "物流配送", "家政服务", "农产品", "包装印刷", "物业管理"]
FAIR_POSITIONS = [("普工", 4, "2800", "3800", False), ("电商客服", 3, "2500", "3500", True)]


def _day(month: int, day: int) -> datetime.date:
    return min(datetime.date(2026, month, day), today())


def _org(region: Region, name: str, kind: str = OrganizationKind.COMMUNITY) -> Organization:
    found = Organization.objects.filter(name=name).order_by("id").first()
    return found or organization_create(acting_user=None, region=region, kind=kind, name=name)


def _age(p: Person, on: datetime.date) -> int:
    b = p.birth_date
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def _working_age(p: Person, on: datetime.date) -> bool:
    return 16 <= _age(p, on) < 60


def seed_employment(seeder: Any) -> None:
    shixi = street("市西街道")
    if shixi is not None and not Course.objects.filter(title=COURSE).exists():
        _training(shixi)
        _factories(shixi)
        seeder.out.write("市西街道 training and micro-factories: done")
    yms = street("云门山街道")
    if yms is not None and not WelfarePost.objects.filter(region=yms).exists():
        _posts(yms)
        seeder.out.write("云门山街道 public-welfare posts: done")
    if not JobFair.objects.filter(region__code=YANGLIUXUE[0]).exists():
        _yangliuxue(seeder)
        seeder.out.write("杨柳雪镇 job fair: done (login yangliuxue)")


def _disabled_in(region: Region) -> list[Person]:
    return list(
        Person.objects.in_region(region)
        .filter(status=PersonStatus.ACTIVE, certificates__isnull=False, certificates__valid_to__isnull=True)
        .order_by("id")
        .distinct()
    )


def _training(shixi: Region) -> None:
    organizer = _org(shixi, "滨城区海燕社会工作服务中心", OrganizationKind.PROFESSIONAL)
    project = Project.objects.filter(name="身残志坚非遗手工").first()
    start, end = _day(3, 9), _day(3, 20)
    course = services.course_create(
        acting_user=None,
        region=shixi,
        title=COURSE,
        kind="livestream",
        start_on=start,
        end_on=end,
        sessions=8,
        organizer=organizer,
        trainer="汝忆爱家乡助残直播团队讲师",
        place="市西街道社工站",
        target_group="有劳动能力的残疾人",
        project=project,
    )
    people = [p for p in _disabled_in(shixi) if 18 <= _age(p, start) < 50][:TRAINEES]
    enrolments = [
        services.enrolment_create(acting_user=None, course=course, person=p, enrolled_on=start)
        for p in people
    ]
    Attendance.objects.bulk_create(
        Attendance(enrolment=e, session=s, present=(i + s) % 9 != 0)
        for i, e in enumerate(enrolments)
        for s in range(1, course.sessions + 1)
    )
    for i, e in enumerate(enrolments):
        services.enrolment_complete(acting_user=None, enrolment=e, completed_on=end)
        working = i < FLEXIBLE
        kind = "livestream" if i < 9 else "handicraft"
        for month, on in ((1, _day(4, 20)), (3, _day(6, 20)), (6, _day(9, 19))):
            if on < end + datetime.timedelta(days=25 * month):
                continue  # not yet due on the day the demo is seeded
            at_work = working and (month > 1 or i < 5)
            services.follow_up_record(
                acting_user=None,
                enrolment=e,
                month=month,
                outcome="flexible" if at_work else "not_working",
                flexible_kind=kind if at_work else "",
                monthly_income=Decimal(1200 + 150 * (i % 7) + 100 * month) if at_work else None,
                followed_on=on,
                note="直播间带货" if at_work and kind == "livestream" else "手工订单" if at_work else "",
            )
    group = services.course_create(
        acting_user=None,
        region=shixi,
        title="巧手创业灵活就业手工小组技能培训",
        kind="handicraft",
        start_on=_day(11, 10),
        end_on=_day(11, 28),
        sessions=6,
        organizer=organizer,
        trainer="非遗手工传承人",
        place="碧林花园社区党群服务中心",
        target_group="居家残疾人及家属",
        project=project,
    )
    for p in [p for p in _disabled_in(shixi) if 18 <= _age(p, group.start_on) < 60][TRAINEES : TRAINEES + 12]:
        services.enrolment_create(acting_user=None, course=group, person=p, enrolled_on=group.start_on)


def _factories(shixi: Region) -> None:
    places = communities(shixi)
    paid = Disbursement.objects.filter(
        status=DisbursementStatus.PAID, project__name="身残志坚非遗手工"
    ).first()
    for (index, name, operator, products, money), families in zip(FACTORIES, FAMILIES, strict=True):
        community = places[index]
        opened = _day(4, 15)
        factory = services.factory_create(
            acting_user=None,
            region=community,
            name=name,
            operator=_org(shixi, operator),
            opened_on=opened,
            products=products,
        )
        for amount, source, what in money:
            project = Project.objects.filter(name=what).first() if source == "project" else None
            disbursement = paid if source == "fund" else None
            if (source == "project" and project is None) or (source == "fund" and disbursement is None):
                source = "government"  # the demo without the outreach or the funds: the street's money
            services.investment_record(
                acting_user=None,
                factory=factory,
                amount=amount,
                source=source,
                invested_on=opened,
                project=project if source == "project" else None,
                disbursement=disbursement if source == "fund" else None,
                department=what if source == "government" else "",
            )
        taken = 0
        start = _day(5, 6)
        holders = [p for p in _disabled_in(community) if p.household_id is not None]
        households = {h.pk: h for h in Household.objects.filter(pk__in=[p.household_id for p in holders])}
        members: dict[int, list[Person]] = {}
        for m in Person.objects.filter(household_id__in=households, status=PersonStatus.ACTIVE).order_by(
            "id"
        ):
            members.setdefault(m.household_id or 0, []).append(m)
        ordered = sorted(
            holders,
            key=lambda p: not any(_working_age(m, start) for m in members.get(p.household_id or 0, [])),
        )
        seen: set[int] = set()
        for holder in ordered:
            if taken == families or holder.household_id in seen:
                continue
            seen.add(holder.household_id or 0)
            family = members.get(holder.household_id or 0, [holder])
            person = next((m for m in family if _working_age(m, start)), holder)
            worker = services.worker_add(
                acting_user=None,
                factory=factory,
                person=person,
                started_on=start,
                work="计件" if taken % 3 else "计时",
            )
            for month in (9, 10, 11):
                services.worker_month_record(
                    acting_user=None,
                    worker=worker,
                    month=_day(month, 1),
                    pay=Decimal(800 + 50 * (taken % 9)),
                    pieces=300 + 10 * (taken % 9) if taken % 3 else None,
                    hours=None if taken % 3 else Decimal("96.0"),
                )
            taken += 1
        for month in (9, 10, 11):
            services.factory_month_record(
                acting_user=None,
                factory=factory,
                month=_day(month, 1),
                orders=10 + month,
                output=Decimal(25000 + 1000 * month),
            )


def _posts(yms: Region) -> None:
    post = services.welfare_post_create(
        acting_user=None,
        region=yms,
        provider="mca",
        title="民政公益岗位（环境保洁、护绿、助老）",
        places=25,
        monthly_pay="1200.00",
        start_on=datetime.date(2026, 9, 1),
        end_on=datetime.date(2027, 8, 31),
    )
    heads = list(
        Person.objects.in_region(yms)
        .filter(status=PersonStatus.ACTIVE, relation_to_head=Relation.HEAD, household__isnull=False)
        .order_by("household_id")[:YMS_PLACED]
    )
    for i, person in enumerate(heads):
        rec = services.recommendation_create(
            acting_user=None,
            post=post,
            person=person,
            reason="脱贫户，有劳动能力，就近就业增加家庭收入",
            situation="家庭人均收入低，无稳定务工收入" if i % 2 else "家中有需照料的老人，无法外出务工",
        )
        rec = services.recommendation_decide(
            acting_user=None, recommendation=rec, approve=True, note="符合条件", decided_on=_day(10, 6)
        )
        rec = services.placement_start(acting_user=None, recommendation=rec, placed_on=_day(10, 8 + i))
        for month in (10, 11):
            if rec.placed_on and _day(month, 28) >= rec.placed_on:
                services.confirmation_record(
                    acting_user=None, recommendation=rec, month=_day(month, 1), working=True
                )


def _yangliuxue(seeder: Any) -> None:
    county = Region.objects.filter(code="371602000000").first()
    if county is None:
        return
    town = region_get_or_create(
        acting_user=None, code=YANGLIUXUE[0], name=YANGLIUXUE[1], level=RegionLevel.STREET, parent=county
    )
    seeder.user("yangliuxue", "杨柳雪镇民政办", role=Role.STREET_ADMIN, region=town)
    held = _day(5, 16)  # 全国助残日 (the third Sunday of May)
    fair = services.job_fair_create(
        acting_user=None,
        region=town,
        title="杨柳雪镇“社区微业”专场招聘会",
        held_on=held,
        place="杨柳雪镇文化广场",
        organizer="杨柳雪镇人民政府",
        visitors=650,
    )
    from stdnum.cn import uscc

    for i in range(FAIR_ENTERPRISES):
        body = f"91371602MA3D{i + 1:05d}"
        trade = FAIR_TRADES[i % len(FAIR_TRADES)]
        ent = services.fair_enterprise_add(
            acting_user=None,
            fair=fair,
            name=f"滨州市杨柳雪{trade}有限公司{i + 1:02d}",
            credit_code=body + uscc.calc_check_digit(body),
        )
        for title, openings, low, high, suits in FAIR_POSITIONS:
            services.position_add(
                acting_user=None,
                enterprise=ent,
                title=title,
                openings=openings,
                pay_min=low,
                pay_max=high,
                suits_disabled=suits,
            )
