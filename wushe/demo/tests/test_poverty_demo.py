"""The demo's poverty work in 云门山街道: 210 households checked, failed items as needs (source
入户核查), monitoring objects through the five steps, one overdue lead; and the visits' figures
(390 problems found, 385 resolved, 98.7 %) unchanged."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from wushe.needs.models import Need, NeedSource

pytestmark = [pytest.mark.demo, pytest.mark.xdist_group("demo")]


def stats(region: str, *extra: str) -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--region", region, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())["metrics"]


def test_yunmenshan_poverty_figures(demo: str) -> None:
    m = stats("云门山街道")
    assert m["poverty.checked"] == 210
    assert m["poverty.failed_items.housing"] == 6 and m["poverty.failed_items.water_quality"] == 4
    assert Need.objects.filter(source=NeedSource.CHECK, region__path__contains="/").count() == 10
    assert m["monitoring.objects"] + 1 == m["monitoring.overdue"] + m["monitoring.objects"] > 0
    assert m["monitoring.overdue"] == 1
    assert (m["problems.found"], m["problems.resolved"], m["problems.resolution_rate"]) == (390, 385, 98.7)
    autumn = stats("云门山街道", "--from", "2026-10-01", "--to", "2026-11-30")
    assert autumn["needs.met"] == 220
