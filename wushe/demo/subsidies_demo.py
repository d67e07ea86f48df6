"""The demo's two disability subsidies, through the subsidies' services.

市西街道 (seed 000): the rules applied to its certificate holders. Every fourth holder's household
is marked 低保 from the start of the year (so the living subsidy has recipients); every holder
who qualifies for a subsidy at the start of last month has an approved application from then
(a few who qualify are left without one: the 应享未享 list), and the street has approved last
month's and this month's rosters.
"""

from __future__ import annotations

import datetime
from typing import Any

from wushe.accounts.roles import Role
from wushe.core.checks import today
from wushe.registry.household_tags import household_tags_set
from wushe.registry.models import Household
from wushe.subsidies.eligibility import add_months, eligibility_many, month_start
from wushe.subsidies.models import Application, Kind
from wushe.subsidies.services import applications_bulk_approved, roster_approve

from .service_common import persons, street

BANKS = ["中国农业银行滨州分行", "滨州农村商业银行", "中国邮政储蓄银行滨州分行"]


def seed_subsidies(seeder: Any) -> None:
    shixi = street("市西街道")
    if shixi is None:
        return
    if Application.objects.filter(region__path__startswith=shixi.path).exists():
        seeder.out.write("市西街道 subsidies: already there")
        return
    county = shixi.parent or shixi
    seeder.user("sub_cdpf", "滨城区残联审核员", role=Role.COUNTY_CDPF_REVIEWER, region=county)
    seeder.user("sub_mca", "滨城区民政局审定员", role=Role.COUNTY_MCA_APPROVER, region=county)
    seeder.user("sub_payer", "市西街道补贴出纳", role=Role.PAYER, region=shixi)
    holders = persons(shixi, disabled=True)
    last = add_months(month_start(today()), -1)
    start = datetime.date(last.year, 1, 1)
    households = Household.objects.in_bulk(
        [p.household_id for i, p in enumerate(holders) if i % 4 == 0 and p.household_id]
    )
    for household in households.values():
        household_tags_set(acting_user=None, household=household, tags=["dibao"], on=start)
    found = eligibility_many(holders, month=last)
    items = []
    for i, person in enumerate(holders):
        if i % 25 == 7:  # qualifies, never applied: the worker's 应享未享 list
            continue
        for kind in (Kind.LIVING, Kind.NURSING):
            if found[(person.pk, kind)].eligible:
                account = f"62284800{person.pk:011d}"
                items.append(
                    (person, kind, BANKS[i % len(BANKS)], account, last + datetime.timedelta(days=i % 20))
                )
    made = applications_bulk_approved(acting_user=None, applications=items)
    roster_approve(acting_user=None, region=shixi, month=last)
    roster_approve(acting_user=None, region=shixi, month=month_start(today()))
    seeder.out.write(
        f"市西街道 subsidies: done ({len(made)} applications, rosters of {last:%Y-%m} and this month approved)"
    )
