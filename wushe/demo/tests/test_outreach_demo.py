"""The outreach figures of the articles come out of the demo's records (seed 000 and 002)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.accounts.services import role_grant, user_create
from wushe.demo.outreach import SHIXI_PROFESSIONAL, seed_outreach
from wushe.needs.models import Need, NeedStatus
from wushe.partners.models import Organization, OrganizationKind, ResponsibilityUnit, UnitKind

pytestmark = [pytest.mark.demo, pytest.mark.xdist_group("demo")]  # seeded once: conftest.py


def stats(region: str, *extra: str) -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--region", region, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())["metrics"]


def test_yunmenshan_outreach_figures(demo: str) -> None:
    m = stats("云门山街道")
    assert m["visits"] == 6330  # "6,320+ home visits"
    assert m["leaflets"] == 54438  # "53,900+ policy leaflets"
    assert m["problems.found"] == 390
    assert m["problems.resolved"] == 385
    assert m["problems.resolution_rate"] == 98.7
    assert m["satisfaction_rate"] == 99.5
    assert m["households_visited"] == 210
    autumn = stats("云门山街道", "--from", "2026-10-01", "--to", "2026-11-30")
    assert autumn["needs.met"] == 220


def test_shixi_lists_reflect_the_article(demo: str) -> None:
    m = stats("市西街道")
    assert m["organizations.professional"] == 5
    assert m["organizations.community"] == 21
    # 20 in the outreach demo, and the two the charity funds paid for that it lacked (汝忆爱, 锄禾)
    assert (m["resources"], m["projects"]) == (12, 22)
    professional = set(
        Organization.objects.filter(kind=OrganizationKind.PROFESSIONAL, region__name="市西街道").values_list(
            "name", flat=True
        )
    )
    assert professional == set(SHIXI_PROFESSIONAL)
    names = set(Organization.objects.filter(kind=OrganizationKind.COMMUNITY).values_list("name", flat=True))
    assert {"启音启智自闭症儿童康复中心", "心连心艺术团", "霞光艺术团"} <= names
    kinds = set(ResponsibilityUnit.objects.filter(region__path__contains="/").values_list("kind", flat=True))
    assert {
        UnitKind.CIVIL_AFFAIRS,
        UnitKind.STATION,
        UnitKind.SUBSTATION,
        UnitKind.GRID_WORKER,
        UnitKind.ORGANIZATION,
    } <= kinds
    met = Need.objects.filter(
        region__path__startswith=Organization.objects.get(name=SHIXI_PROFESSIONAL[0]).region.path,
        status=NeedStatus.MET,
        category__code__in=["psych", "employment", "rehab"],
        household__members__certificates__isnull=False,
    )
    assert met.values("household").distinct().count() == 108  # "100+ disabled families"
    assert met.filter(resource__isnull=False).exists() and met.filter(project__isnull=False).exists()
    assert not met.filter(referred_to__isnull=True).exists()


def test_an_organization_user_sees_only_its_referred_needs(demo: str) -> None:
    org = Organization.objects.get(name=SHIXI_PROFESSIONAL[0])
    user = user_create(acting_user=None, username="demo_org_staff", password="x-demo-pass-1")
    role_grant(user=user, role=Role.ORG_STAFF, organization=org)
    client = Client()
    client.force_login(user)
    items = client.get("/api/v1/needs?limit=500").json()
    expected = Need.objects.filter(referred_to=org).count()
    assert items["count"] == expected > 0


def test_outreach_seed_twice_changes_nothing(demo: str) -> None:
    before = stats("云门山街道"), stats("市西街道")

    class Quiet:
        out = StringIO()

    seed_outreach(Quiet())
    assert (stats("云门山街道"), stats("市西街道")) == before
    assert User.objects.filter(username="yunmenshan").exists()
