"""云门山街道's 政策找人 (seed 002): policies.applied ≥ 230 for the demo year from policies with real
rules, people still on the 应享未享 lists, and the work report's sentence from those records."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from wushe.core.checks import today
from wushe.policies.models import Department, PolicyApplication

pytestmark = [pytest.mark.demo, pytest.mark.xdist_group("demo")]  # seeded once: conftest.py


def stats(region: str, *extra: str) -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--region", region, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())["metrics"]


def test_yunmenshan_policies_put_into_effect(demo: str) -> None:
    from wushe.core.models import Region
    from wushe.reports.narrative import work_report
    from wushe.reports.periods import Period

    year = today().year
    m = stats("云门山街道", "--from", f"{year}-01-01", "--to", f"{year}-12-31")
    assert m["policies.applied"] >= 230
    assert m["policies.unreached"] > 0
    departments = set(
        PolicyApplication.objects.filter(
            region__path__startswith=Region.objects.get(name="云门山街道").path
        ).values_list("policy__department", flat=True)
    )
    assert {Department.CIVIL, Department.DISABILITY, Department.ELDERLY} <= departments
    report = work_report(
        region=Region.objects.get(name="云门山街道", level="street"),
        period=Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
    )
    assert f"落实民政、残联、养老等行业扶贫政策共计{m['policies.applied']}项" in report.text
