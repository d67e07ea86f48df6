"""``manage.py stats``: a region's figures from the metric registry on the command line."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.factories import PersonFactory
from wushe.core.metrics import Scope, as_json_values, compute


def stats(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("region", ["371602003000", "市西街道", " 市西街道 "])
def test_stats_json_by_code_or_name(tree: Any, person_a: Any, person_b: Any, region: str) -> None:
    payload = json.loads(stats("--region", region, "--json"))
    assert set(payload) == {"region", "period", "metrics"}
    assert payload["period"] == {"from": None, "to": None}
    assert payload["region"] == {"code": "371602003000", "name": "市西街道"}
    assert payload["metrics"] == as_json_values(compute(Scope(region=tree.street)))
    metrics = payload["metrics"]
    assert (metrics["communities"], metrics["grids"], metrics["persons"], metrics["disabled"]) == (2, 2, 2, 2)
    assert (metrics["ledger.red"], metrics["ledger.blue"], metrics["category.6"], metrics["level.3"]) == (
        1,
        1,
        1,
        1,
    )


def test_stats_is_the_operator_view_of_the_whole_region(tree: Any, person_a: Any, person_b: Any) -> None:
    PersonFactory(region=tree.community_c, category=6)
    county = json.loads(stats("--region", "滨城区", "--json"))["metrics"]
    assert (county["persons"], county["ledger.red"]) == (3, 2)
    grid = json.loads(stats("--region", "371602003001001", "--json"))
    assert grid["region"] == {"code": "371602003001001", "name": "甲社区第一网格"}
    assert (grid["metrics"]["persons"], grid["metrics"]["ledger.red"], grid["metrics"]["ledger.blue"]) == (
        1,
        1,
        0,
    )


def test_stats_text_output(tree: Any, person_a: Any) -> None:
    text = stats("--region", "甲社区")
    lines = text.splitlines()
    assert lines[0] == "甲社区 (371602003001)"
    red = next(line for line in lines if line.split()[0] == "ledger.red")
    assert red.split()[1:] == ["红色", "1", "人"]
    assert any(line.split()[:1] == ["persons"] and " 1 " in line for line in lines)


def test_stats_period(tree: Any, person_a: Any) -> None:
    payload = json.loads(stats("--region", "甲社区", "--from", "2000-01-01", "--to", "2000-12-31", "--json"))
    assert payload["metrics"]["disabled"] == 0  # the certificate starts today
    with pytest.raises(CommandError):
        stats("--region", "甲社区", "--from", "2000-13-01")
    with pytest.raises(CommandError):
        stats("--region", "甲社区", "--to", "yesterday")
    with pytest.raises(CommandError):
        stats("--region", "甲社区", "--from", "2001-01-01", "--to", "2000-01-01")


@pytest.mark.parametrize("region", ["999999999999", "无此街道", ""])
def test_unknown_region_is_a_command_error(tree: Any, region: str) -> None:
    with pytest.raises(CommandError):
        stats("--region", region, "--json")


def test_ambiguous_name_is_a_command_error(tree: Any) -> None:
    from wushe.core.models import RegionLevel
    from wushe.core.services import region_create

    region_create(
        acting_user=None,
        code="371602001002",
        name="甲社区",
        level=RegionLevel.COMMUNITY,
        parent=tree.other_street,
    )
    with pytest.raises(CommandError):
        stats("--region", "甲社区")
    assert json.loads(stats("--region", "371602001002", "--json"))["region"]["name"] == "甲社区"


def test_stats_period_in_the_json(tree: Any, person_a: Any) -> None:
    payload = json.loads(stats("--region", "甲社区", "--from", "2026-01-01", "--to", "2026-03-31", "--json"))
    assert payload["period"] == {"from": "2026-01-01", "to": "2026-03-31"}
    with pytest.raises(CommandError, match="--to"):
        stats("--region", "甲社区", "--to", "2026-02-30")
