"""The demo's consents and statutory bases (issue 21 part 2), through the consent services.

市西街道: two in three of the certificate holders gave their consent to the processing of their
disability and health data for 助残服务与补贴 (on a phone with the worker present; every fifth by
a guardian), one of them withdrew it again; three in four of the 低保/特困 residents are
processed on the 民政 department's statutory duty. The rest — and all of 云门山街道 — are what
the report 无同意或法定依据的敏感信息 lists, so it is not everyone."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from wushe.consent.models import Consent, Method
from wushe.consent.services import basis_record, consent_record, consent_withdraw
from wushe.core.checks import today
from wushe.registry.basis import ASSISTANCE_TAGS
from wushe.registry.models import Person, PersonStatus, PersonTag

from .service_common import persons, street

GIVEN_ON = datetime.date(2026, 3, 2)
WITHDRAWN_ON = datetime.date(2026, 6, 15)


def _day(day: datetime.date) -> datetime.date:
    return min(day, today())


LIMIT = 400  # of each kind: enough for the pages and the report, quick to seed


def seed_consent(seeder: Any) -> None:
    shixi = street("市西街道")
    if shixi is None:
        return
    people = Person.objects.in_region(shixi)
    if Consent.objects.filter(person__in=people).exclude(method=Method.MIGRATED).exists():
        seeder.out.write("市西街道 consents: already there")
        return
    holders = [p for i, p in enumerate(persons(shixi, disabled=True)) if i % 3 != 2][:LIMIT]
    consents = []
    for i, person in enumerate(holders):
        guardian = i % 5 == 4
        consents.append(
            consent_record(
                acting_user=None,
                person=person,
                kinds=["disability", "health"],
                purpose_kind="disability",
                purpose="残疾人两项补贴、康复与助残服务",
                given_by="guardian" if guardian else "self",
                guardian_name="家属" if guardian else "",
                guardian_relation="子女" if guardian else "",
                method="phone",
                given_on=_day(GIVEN_ON),
            )
        )
    if consents:
        consent_withdraw(
            acting_user=None,
            consent=consents[0],
            by_party="self",
            method="oral",
            stops="停止将残疾和健康信息用于助残服务宣传；补贴审核依法定职责继续",
            on=_day(WITHDRAWN_ON),
        )
    assisted = PersonTag.objects.filter(
        person=OuterRef("pk"), valid_to__isnull=True, tag__code__in=ASSISTANCE_TAGS
    )
    receivers = list(
        people.filter(Exists(assisted), status=PersonStatus.ACTIVE)
        .defer("id_number", "phone", "contact_phone")
        .order_by("id")[: LIMIT * 4 // 3]
    )
    for i, person in enumerate(receivers):
        if i % 4 == 3:
            continue
        basis_record(
            acting_user=None,
            person=person,
            kinds=["assistance"],
            basis="civil_affairs",
            basis_text="《社会救助暂行办法》第十一条：民政部门对低保、特困供养申请人的家庭状况进行调查核实",
            purpose_kind="assistance",
            purpose="低保、特困供养的审核与动态管理",
            on=_day(GIVEN_ON),
        )
    seeder.out.write(f"市西街道 consents: {len(consents)} consents, bases for the 低保/特困 residents")
