"""The demo's severe-disability care and assistive-device rental, through the care and rental
services.

市西街道: 如北辰 (滨州市如北辰社会工作服务中心) carries out the 困难重度残疾人照护 project for 68
households of severely disabled residents (certificate levels 1–2), each with a care plan of
生活照料 and 康复指导; 12 of them also receive 居家环境清洁 every month, by 海燕社工 and 如北辰社工
in turn, recorded from January to the current month of the demo year. The rehabilitation guidance
station's 租赁区 and two community rehabilitation stations lend wheelchairs, walkers, care beds,
commode chairs and crutches after 如北辰's assessment: some are out, some came back and went
through 清洁消毒 and 检查维修, one is overdue, the 低保 households' deposits are waived.
"""

from __future__ import annotations

import datetime
from typing import Any

from wushe.care.models import CarePlan, ServiceType
from wushe.care.services import ServiceLine, care_plan_create, carer_training_create, service_record_create
from wushe.core.checks import today
from wushe.partners.models import Organization, OrganizationKind
from wushe.partners.services import organization_get_or_create
from wushe.registry.models import Person, PersonStatus
from wushe.rentals.models import DeviceType, ItemStatus
from wushe.rentals.services import item_add, item_advance, rental_create, rental_return, site_create

from .service_common import communities, street

YEAR = 2026
PROVIDER = "滨州市如北辰社会工作服务中心"
HAIYAN = "滨城区海燕社会工作服务中心"
HOUSEHOLDS = 68
CLEANED = 12
STARTED = datetime.date(YEAR, 1, 5)
# (device type code, items at the station, items at each community station)
STOCK = [("12 22", 8, 2), ("12 06", 6, 1), ("18 12", 3, 0), ("09 12", 5, 1), ("12 03", 10, 2)]


def _day(month: int, day: int) -> datetime.date:
    return min(datetime.date(YEAR, month, day), today())


def _months() -> list[int]:
    """The months of the demo year that have begun."""
    now = today()
    if now.year > YEAR:
        return list(range(1, 13))
    return list(range(1, now.month + 1)) if now.year == YEAR else []


def seed_care(seeder: Any) -> None:
    shixi = street("市西街道")
    if shixi is None or not _months():
        return
    if CarePlan.objects.in_region(shixi).exists():
        seeder.out.write("市西街道 care and rentals: already there")
        return
    provider = Organization.objects.filter(name=PROVIDER).first()
    haiyan = Organization.objects.filter(name=HAIYAN).first()
    if provider is None or haiyan is None:
        return
    _care(shixi, provider)
    _rentals(shixi, provider)
    seeder.out.write(
        "市西街道 care and rentals: done (68 households in care, 12 cleaned monthly; a rental service)"
    )


def _severe_heads(shixi: Any) -> list[Person]:
    """One severely disabled resident (certificate level 1–2 in force) of each of the first
    households, in a stable order."""
    people = (
        Person.objects.in_region(shixi)
        .filter(
            status=PersonStatus.ACTIVE,
            household__isnull=False,
            certificates__valid_to__isnull=True,
            certificates__level__lte=2,
        )
        .select_related("household__region")
        .defer("id_number", "phone", "contact_phone")
        .order_by("household_id", "id")
    )
    chosen: dict[int, Person] = {}
    for p in people:
        if p.household_id not in chosen:
            chosen[p.household_id] = p  # type: ignore[index]  # filtered not null above
        if len(chosen) == HOUSEHOLDS:
            break
    return list(chosen.values())


def _care(shixi: Any, provider: Organization) -> None:
    types = {t.code: t for t in ServiceType.objects.all()}
    months = _months()
    for i, person in enumerate(_severe_heads(shixi)):
        cleaned = i < CLEANED
        lines = [ServiceLine(types["daily_care"], 2), ServiceLine(types["rehab"], 1)]
        if cleaned:
            lines.append(ServiceLine(types["cleaning"], 1))
        if i % 4 == 0:
            lines.append(ServiceLine(types["snow"], 1, "1,2,12"))
        plan = care_plan_create(
            acting_user=None,
            person=person,
            self_care=("none", "partial")[i % 2],
            needs="重度残疾，日常生活需要照料与康复指导" + ("，居家环境需定期清洁" if cleaned else ""),
            assessed_on=STARTED,
            provider=provider,
            workers="如北辰社工、海燕社工" if cleaned else "如北辰社工",
            started_on=STARTED,
            review_on=datetime.date(YEAR + 1, 1, 5),
            services=lines,
        )
        for month in months:
            if cleaned:
                service_record_create(
                    acting_user=None, plan=plan, service_type=types["cleaning"], served_on=_day(month, 8),
                    minutes=120, worker=("海燕社工", "如北辰社工")[month % 2], content="居家环境清洁与整理",
                    satisfaction="satisfied",
                )  # fmt: skip
            if month >= months[-1] - 1:  # the last two months' care (earlier months show gaps)
                for day in (10, 20):
                    service_record_create(
                        acting_user=None, plan=plan, service_type=types["daily_care"], served_on=_day(month, day),
                        minutes=60, worker="如北辰社工", content="协助洗浴、整理衣物",
                        satisfaction=("satisfied", "fair")[i % 5 == 0],
                    )  # fmt: skip
        if i % 10 == 0:
            carer_training_create(
                acting_user=None, plan=plan, trained_on=_day(3, 15), carer="家属", topic="翻身、转移与防褥疮",
                hours="2.0", trainer="如北辰康复指导员",
            )  # fmt: skip


def _rentals(shixi: Any, provider: Organization) -> None:
    station = organization_get_or_create(
        acting_user=None, region=shixi, kind=OrganizationKind.FACILITY, name="市西街道康复指导站"
    )
    sites = [site_create(acting_user=None, region=shixi, name="康复指导站租赁区", organization=station)]
    for community in communities(shixi)[:2]:
        facility = organization_get_or_create(
            acting_user=None, region=community, kind=OrganizationKind.FACILITY, name=f"{community.name}康复站"
        )
        sites.append(
            site_create(
                acting_user=None,
                region=community,
                name=f"{community.name}康复站租赁区",
                organization=facility,
            )
        )
    items: dict[str, list[Any]] = {}
    for code, at_station, at_community in STOCK:
        kind = DeviceType.objects.get(code=code)
        for site_no, site in enumerate(sites):
            for n in range(at_station if site_no == 0 else at_community):
                items.setdefault(code, []).append(
                    item_add(
                        acting_user=None,
                        site=site,
                        device_type=kind,
                        serial_number=f"SX-{code.replace(' ', '')}-{site_no}{n + 1:02d}",
                        acquired_on=datetime.date(YEAR, 1, 4),
                        model_name="标准型",
                    )  # fmt: skip
                )
    people = _severe_heads(shixi)[CLEANED : CLEANED + 14]
    plan = [  # (type, person, started (month, day), due days, returned (month, day) or None)
        ("12 22", 0, (3, 2), 90, (6, 1)),
        ("12 22", 1, (6, 10), 180, None),
        ("12 22", 2, (8, 1), 60, None),  # overdue
        ("12 06", 3, (4, 12), 90, (7, 20)),
        ("12 06", 4, (9, 5), 180, None),
        ("18 12", 5, (2, 18), 365, None),
        ("18 12", 6, (10, 8), 180, None),
        ("09 12", 7, (5, 6), 120, (9, 1)),
        ("09 12", 8, (9, 20), 180, None),
        ("12 03", 9, (7, 1), 90, (9, 30)),
        ("12 03", 10, (10, 15), 90, None),
        ("12 03", 11, (11, 2), 90, None),
    ]
    taken: dict[str, int] = {}
    for code, who, (m, d), days, back in plan:
        if who >= len(people) or datetime.date(YEAR, m, d) > today():
            continue
        idx = taken.get(code, 0)
        item = items[code][idx]
        started = datetime.date(YEAR, m, d)
        rental = rental_create(
            acting_user=None, person=people[who], item=item, assessed_by=provider, assessed_on=started,
            assessment="如北辰入户评估：适配" + str(item.device_type.name), started_on=started,
            due_on=started + datetime.timedelta(days=days),
        )  # fmt: skip
        if back is not None and datetime.date(YEAR, *back) <= today():
            rental_return(
                acting_user=None, rental=rental, returned_on=datetime.date(YEAR, *back), condition="worn"
            )
            item_advance(acting_user=None, item=item, to_status=ItemStatus.REPAIR, note="清洁消毒完成")
            item_advance(acting_user=None, item=item, to_status=ItemStatus.IN_STOCK, note="检查合格")
        else:
            taken[code] = idx + 1
