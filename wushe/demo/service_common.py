"""What the demo's service work shares: its calendar, its names and topics, and the helpers that
find a street's people and walk a case or a request through its steps."""

from __future__ import annotations

import datetime
import random
from typing import Any
from zoneinfo import ZoneInfo

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.appeals import services as appeal_services
from wushe.appeals.calendar import add_working_days
from wushe.appeals.models import Appeal, Category, ReturnOutcome, Step
from wushe.casework import services as case_services
from wushe.casework.models import ActivityKind, Case, CaseStage
from wushe.core.models import Region, RegionLevel, Satisfaction
from wushe.needs import services as need_services
from wushe.needs.models import NeedStatus
from wushe.projects.models import ProjectKind
from wushe.registry.models import Person, PersonStatus

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

GROUP_THEMES = [
    ("残疾人康复互助小组", "通过同伴支持和康复训练提升肢体功能与信心"),
    ("精神障碍家属支持小组", "缓解照护者压力，学习照护和危机应对方法"),
    ("手工技能小组", "学习非遗手工技艺，增加灵活就业机会"),
    ("直播带货技能小组", "学习短视频与直播销售，拓展就业渠道"),
    ("亲子沟通小组", "改善残疾儿童家庭的亲子沟通"),
]
# the communities' own activities through the year (those of the named days: days.OBSERVANCES)
ACTIVITY_TITLES = [
    (ActivityKind.COMMUNITY, "助残康复健身活动"),
    (ActivityKind.COMMUNITY, "残疾人生日会"),
    (ActivityKind.PUBLICITY, "残疾人两项补贴政策宣传"),
    (ActivityKind.COMMUNITY, "残疾人手工技能培训"),
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


def street(name: str) -> Region | None:
    return Region.objects.filter(name=name, level=RegionLevel.STREET).first()


def communities(street: Region) -> list[Region]:
    return list(Region.objects.filter(parent=street, level=RegionLevel.COMMUNITY).order_by("code"))


def persons(street: Region, *, disabled: bool) -> list[Person]:
    qs = Person.objects.in_region(street).filter(status=PersonStatus.ACTIVE)
    if disabled:  # holding a certificate now (not merely without a closed one)
        qs = qs.filter(certificates__isnull=False, certificates__valid_to__isnull=True)
    return list(
        qs.select_related("region").defer("id_number", "phone", "contact_phone").order_by("id").distinct()
    )


def workers(street: Region) -> list[User]:
    return list(
        User.objects.filter(grants__role=Role.SOCIAL_WORKER, grants__region__path__startswith=street.path)
        .distinct()
        .order_by("username")
    )


def advance_case(
    case: Case, *, target: int, opened: datetime.date, rng: random.Random, records: int | None = None
) -> None:
    """Walk a case through ``target`` further stages (1 = 评估 … 4 = 结案), with ``records``
    service records (default: one to three) once in 介入."""
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
            for _n in range(rng.randint(1, 3) if records is None else records):
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


def need_served(
    need: Any, *, started: datetime.datetime, met: datetime.datetime, note: str, satisfaction: str
) -> None:
    """A need in service from ``started``, met (with the resident's satisfaction) at ``met``."""
    need_services.need_advance(acting_user=None, need=need, to_status=NeedStatus.IN_SERVICE, at=started)
    need_services.need_advance(
        acting_user=None, need=need, to_status=NeedStatus.MET, note=note, satisfaction=satisfaction, at=met
    )


def walk_appeal(
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
            return_call(appeal)


UNREACHED_FIRST_TIME = 1 / 12  # of the return calls: no one answered, called again the next working day


def return_call(appeal: Appeal) -> None:
    """回访 the working day after archiving (the 12345 closed loop): the requester confirms the
    result, or says an unresolved request is still unresolved, with the satisfaction heard at
    反馈; about one call in twelve reaches no one and is made again the next working day. A request
    archived on the demo's last days is still due (it heads the 回访 to-do). The choices draw from
    the request's number, not the demo's generator, so the rest of the demo is as before."""
    day = appeal.return_call_due_on
    if day is None or day > LAST_DAY:
        return
    own = random.Random(appeal.number)  # noqa: S311 — demo data, not security
    if own.random() < UNREACHED_FIRST_TIME:
        appeal_services.appeal_return_call(
            acting_user=None,
            appeal=appeal,
            outcome=ReturnOutcome.UNREACHABLE,
            note="电话无人接听，次日再次回访",
            at=at(day, 15),
        )
        day = add_working_days(day, 1)
        if day > LAST_DAY:
            return
    resolved = appeal.resolved
    appeal_services.appeal_return_call(
        acting_user=None,
        appeal=appeal,
        outcome=ReturnOutcome.CONFIRMED if resolved else ReturnOutcome.NOT_RESOLVED,
        satisfaction=appeal.satisfaction,
        note="居民确认问题已解决" if resolved else "居民表示理解，希望继续关注",
        at=at(day, 16, own.randint(0, 59)),
    )
