"""The demo's 政策找人 (seed 002, 云门山街道): a catalogue of real policies with their rules (民政
低保/特困/临时救助, 残联 困难残疾人生活补贴 and 重度残疾人护理补贴, 养老 高龄津贴, 医保 参保资助,
教育 资助), one run of the task, and the policies the grid social workers put into effect this
year for the street's households in hardship — 236 of them, so the work report says "落实民政、
残联、养老等行业扶贫政策共计236项"; whoever else qualifies stays on the 应享未享 lists."""

from __future__ import annotations

import datetime
from typing import Any

from wushe.core.checks import today
from wushe.core.idgen import make_certificate_number
from wushe.core.models import Region
from wushe.policies.models import Department, Policy, PolicyApplication, PolicyMatch, PolicyRun
from wushe.policies.selectors import unreached_of
from wushe.policies.services import application_record, policy_save, run_execute
from wushe.registry.models import Person
from wushe.registry.services import certificate_set

from .service_common import street, workers

# name, department, benefit, rule, legal basis, how to apply
CATALOGUE = [
    (
        "最低生活保障",
        Department.CIVIL,
        "按月发放低保金（保障标准与家庭人均收入的差额）",
        '"dibao" in person.tags',
        "《社会救助暂行办法》第二章",
        "向户籍所在地乡镇人民政府（街道办事处）提出书面申请，经家庭经济状况核对后审批",
    ),
    (
        "特困人员救助供养",
        Department.CIVIL,
        "基本生活条件、照料服务、疾病治疗、办理丧葬事宜",
        '"tekun" in person.tags',
        "《社会救助暂行办法》第三章；《特困人员认定办法》",
        "本人或委托他人向乡镇人民政府（街道办事处）申请",
    ),
    (
        "临时救助",
        Department.CIVIL,
        "一次性临时救助金或实物",
        '"monitored" in person.tags || "monitored" in household.tags',
        "《社会救助暂行办法》第十一章；防止返贫动态监测和帮扶机制",
        "向乡镇人民政府（街道办事处）申请，急难情形先行救助",
    ),
    (
        "困难残疾人生活补贴",
        Department.DISABILITY,
        "按月发放生活补贴",
        'person.has_certificate && ("dibao" in person.tags || "dibao" in household.tags || "dibao-edge" in person.tags || "tuopin" in person.tags) && !("tekun" in person.tags)',
        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
        "持残疾人证向户籍所在地乡镇（街道）申请，县残联审核、县民政审定",
    ),
    (
        "重度残疾人护理补贴",
        Department.DISABILITY,
        "按月发放护理补贴",
        'person.disability_level in [1, 2] && !("tekun" in person.tags)',
        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
        "持残疾人证向户籍所在地乡镇（街道）申请，县残联审核、县民政审定",
    ),
    (
        "高龄津贴",
        Department.ELDERLY,
        "80周岁以上老年人按月发放高龄津贴",
        "person.age >= 80",
        "《山东省老年人权益保障条例》",
        "本人或家属持身份证、户口簿到社区（村）申报",
    ),
    (
        "困难群众参加城乡居民医保资助",
        Department.MEDICAL,
        "个人缴费部分由医疗救助资金资助",
        '"tuopin" in person.tags',
        "《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）",
        "由民政、乡村振兴部门提供名单，医保部门直接资助参保",
    ),
    (
        "脱贫家庭学生教育资助",
        Department.EDUCATION,
        "学前至高中阶段免除保教费、学费，发放助学金",
        'person.age >= 3 && person.age <= 18 && ("tuopin" in person.tags || "tuopin" in household.tags)',
        "《学生资助资金管理办法》",
        "学生向就读学校提出申请，学校审核后发放",
    ),
]
APPLIED = 236  # the article: "落实民政、残联、养老等行业扶贫政策共计230余项"


def seed_policies(seeder: Any) -> None:
    yms = street("云门山街道")
    if yms is None:
        return
    if PolicyApplication.objects.filter(region__path__startswith=yms.path).exists():
        seeder.out.write("云门山街道 policies: already there")
        return
    policies: list[Policy] = []
    for name, department, benefit, rule, basis, how in CATALOGUE:
        found = Policy.objects.filter(name=name).first()
        policies.append(
            found
            or policy_save(
                acting_user=None,
                data={
                    "name": name,
                    "department": department,
                    "benefit": benefit,
                    "rule": rule,
                    "legal_basis": basis,
                    "how_to_apply": how,
                    "sort": len(policies),
                },
            )
        )
    _certificates(yms)
    run_execute(run_id=PolicyRun.objects.create(as_of=today()).pk)
    _apply(yms, policies)
    seeder.out.write(f"云门山街道 policies: {len(policies)} in the catalogue, {APPLIED} put into effect")


# the street's disabled residents in households in hardship: (category, level), held since 2020
DISABLED = [(4, 1), (1, 2), (5, 3), (6, 4), (4, 2), (2, 3), (6, 1), (4, 4), (7, 2), (3, 3), (4, 3), (5, 2)]
CERTIFIED_ON = datetime.date(2020, 3, 2)


def _certificates(yms: Region) -> None:
    """Certificates for a few of the street's residents (every 40th), held since before this
    year, so that the 残联 subsidies have the people they are for."""
    people = list(
        Person.objects.filter(region__path__startswith=yms.path).order_by("pk")[::40][: len(DISABLED)]
    )
    for person, (category, level) in zip(people, DISABLED, strict=False):
        if not person.certificates.exists():
            certificate_set(
                acting_user=None,
                person=person,
                number=make_certificate_number(person.id_number, category, level),
                issued_on=CERTIFIED_ON,
                on=CERTIFIED_ON,
            )


def _apply(yms: Region, policies: list[Policy]) -> None:
    """Put policies into effect for the street's qualifying people, one policy after another in
    turn (so every department has its share), dated through this year."""
    by_grid: dict[int, Any] = {}
    for worker in workers(yms):
        for region_id in worker.grants.values_list("region_id", flat=True):
            by_grid.setdefault(region_id, worker)
    queues = {
        p.pk: list(
            unreached_of(PolicyMatch.objects.filter(policy=p, region__path__startswith=yms.path))
            .select_related("person")
            .order_by("person_id")
        )
        for p in policies
    }
    end = today()
    start = datetime.date(end.year, 1, 1)
    span = max((end - start).days, 1)
    done = 0
    while done < APPLIED and any(queues.values()):
        for policy in policies:
            queue = queues[policy.pk]
            if not queue or done >= APPLIED:
                continue
            match = queue.pop(0)
            application_record(
                acting_user=by_grid.get(match.region_id),
                policy=policy,
                person=match.person,
                applied_on=start + datetime.timedelta(days=(done * 7) % (span + 1)),
            )
            done += 1
