"""The demo's charity money, through the funds' services.

市西街道 (seed 000): 22 community charity funds ("善行市西", one per community) inside 滨城区慈善总会,
each with a committee of five, 506,000 yuan raised and 106,000 yuan paid, after the committee's
approval, to the six projects the article names. 云门山街道 (seed 002): 123,000 yuan of donations
from enterprises and individuals arranged by the social workers straight to households in hardship.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from wushe.accounts.roles import Role
from wushe.core.checks import today
from wushe.core.models import Region
from wushe.funds.models import DonorDisplay, DonorKind, Fund
from wushe.funds.services import (
    committee_set,
    disbursement_approve,
    disbursement_pay,
    disbursement_request,
    donation_record,
    fund_create,
)
from wushe.partners.models import Organization, OrganizationKind
from wushe.partners.services import organization_create
from wushe.projects.models import Project, ProjectKind
from wushe.projects.services import project_get_or_create
from wushe.registry.models import Household

from .service_common import communities, street, workers

CHARITY = "滨城区慈善总会"
CHARITY_CODE = "51371602MJ0000020N"  # 社会团体 registered with 民政 (GB 32100 check character valid)
OPENED = datetime.date(2025, 12, 1)
# each community fund's donations: (donor kind, donor, display, amount, month, day)
GIFTS = [
    (DonorKind.ORGANIZATION, "滨州爱心企业联合会", DonorDisplay.NAMED, "10000.00", 1, 12),
    (DonorKind.ORGANIZATION, "{c}共建单位", DonorDisplay.NAMED, "6000.00", 3, 5),
    (DonorKind.OUTSIDER, "{c}热心居民", DonorDisplay.MASKED, "3000.00", 4, 18),
    (DonorKind.ANONYMOUS, "", DonorDisplay.ANONYMOUS, "2000.00", 5, 20),
    (DonorKind.OUTSIDER, "{c}党员志愿者", DonorDisplay.MASKED, "1500.00", 6, 9),
    (DonorKind.ANONYMOUS, "", DonorDisplay.ANONYMOUS, "500.00", 7, 1),
]  # 23,000 yuan a fund, 506,000 for the 22
RAISED_PER_FUND = sum(Decimal(g[3]) for g in GIFTS)
# the six projects the funds paid for (善行市西 is the fund-raising programme, not one of them)
PAID_PROJECTS = [
    ("“汝忆爱”家乡助残直播平台", "汝忆爱家乡助残直播团队", ProjectKind.EMPLOYMENT, "20000.00"),
    ("锄禾农疗坊", "锄禾农疗坊", ProjectKind.EMPLOYMENT, "18000.00"),
    ("星空家园温暖工作室", "滨城区海燕社会工作服务中心", ProjectKind.DISABILITY, "17000.00"),
    ("彩虹人生", "滨州市如北辰社会工作服务中心", ProjectKind.DISABILITY, "16000.00"),
    ("思源互助", "滨城区仁爱社会工作服务中心", ProjectKind.DISABILITY, "15000.00"),
    ("身残志坚非遗手工", "滨城区海燕社会工作服务中心", ProjectKind.EMPLOYMENT, "20000.00"),
]  # 106,000 yuan
# 云门山街道: (donor, amount) straight to households, arranged by the grid social workers
YMS_DONORS = ["青州市爱心企业商会", "云门山共建企业", "青州市慈善义工协会", "爱心人士"]
YMS_GIFTS = 60
YMS_AMOUNT = Decimal("2050.00")  # 123,000 yuan


def _day(month: int, day: int) -> datetime.date:
    return min(datetime.date(2026, month, day), today())


def seed_funds(seeder: Any) -> None:
    shixi = street("市西街道")
    if shixi is not None:
        if Fund.objects.filter(region__path__startswith=shixi.path).exists():
            seeder.out.write("市西街道 funds: already there")
        else:
            _shixi(seeder, shixi)
            seeder.out.write(
                "市西街道 funds: done (logins fund_staff: the first community's staff; fund01_1…fund01_5: its committee; fund_payer: 出纳)"
            )
    yms = street("云门山街道")
    if (
        yms is not None
        and not Household.objects.filter(
            region__path__startswith=yms.path, donations_received__isnull=False
        ).exists()
    ):
        _yunmenshan(yms)
        seeder.out.write("云门山街道 donations: done")


def _org(region: Region, name: str) -> Organization:
    found = Organization.objects.filter(name=name).order_by("id").first()
    return found or organization_create(
        acting_user=None, region=region, kind=OrganizationKind.COMMUNITY, name=name
    )


def _shixi(seeder: Any, shixi: Region) -> None:
    charity = Organization.objects.filter(name=CHARITY).first() or organization_create(
        acting_user=None,
        region=shixi.parent or shixi,  # the district's charity, not one of 市西's 21 community organizations
        kind=OrganizationKind.COMMUNITY,
        name=CHARITY,
        credit_code=CHARITY_CODE,
    )
    payer = seeder.user("fund_payer", "市西街道基金出纳", role=Role.PAYER, region=shixi)
    funds = []
    for i, community in enumerate(communities(shixi)):
        fund = fund_create(
            acting_user=None,
            region=community,
            name=f"{community.name}慈善基金",
            organization=charity,
            purpose="善行市西：扶残助困、支持社区助残项目",
            opened_on=OPENED,
        )
        people = [seeder.user(f"fund{i + 1:02d}_{k}", f"{community.name}基金管委会{k}") for k in range(1, 6)]
        committee_set(acting_user=None, fund=fund, chair=people[0], supervisor=people[1], members=people[2:])
        for kind, donor, display, amount, month, day in GIFTS:
            donation_record(
                acting_user=None,
                fund=fund,
                amount=amount,
                donated_on=_day(month, day),
                channel="bank" if kind == DonorKind.ORGANIZATION else "online",
                donor_kind=kind,
                donor_name=donor.format(c=community.name),
                display=display,
            )
        funds.append((fund, people))
    if communities(shixi):  # the first community's staff: its fund's committee is fund01_1 … fund01_5
        first = communities(shixi)[0]
        seeder.user("fund_staff", f"{first.name}工作人员", role=Role.COMMUNITY_STAFF, region=first)
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    for i, (name, org_name, project_kind, amount) in enumerate(PAID_PROJECTS):
        project = Project.objects.filter(name=name).first() or project_get_or_create(
            acting_user=None,
            region=shixi,
            name=name,
            kind=project_kind,
            organization=_org(shixi, org_name),
            start_on=start,
            end_on=end,
            funding_source="社区慈善基金",
        )
        fund, people = funds[i % len(funds)]
        d = disbursement_request(
            acting_user=None, fund=fund, amount=amount, purpose=f"资助{name}", project=project
        )
        for member in people[1:4]:
            d = disbursement_approve(acting_user=member, disbursement=d)
        disbursement_pay(
            acting_user=payer,
            disbursement=d,
            method="银行转账",
            voucher_number=f"SXJJ2026-{i + 1:03d}",
            paid_on=_day(9 + i // 3, 10 + i),
        )


def _yunmenshan(yms: Region) -> None:
    households = list(Household.objects.filter(region__path__startswith=yms.path).order_by("id")[:YMS_GIFTS])
    arrangers: list[Any] = workers(yms) or [None]
    for i, household in enumerate(households):
        donor = YMS_DONORS[i % len(YMS_DONORS)]
        donation_record(
            acting_user=None,
            household=household,
            intermediary=arrangers[i % len(arrangers)],
            amount=YMS_AMOUNT,
            donated_on=_day(1 + i % 11, 1 + i % 27),
            channel="bank",
            donor_kind=DonorKind.ANONYMOUS if donor == "爱心人士" else DonorKind.ORGANIZATION,
            donor_name="" if donor == "爱心人士" else donor,
            display=DonorDisplay.ANONYMOUS if donor == "爱心人士" else DonorDisplay.NAMED,
        )
