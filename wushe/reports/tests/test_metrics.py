"""The metric registry: every figure computed from the records, in the user's scope."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PersonFactory
from wushe.core.metrics import FAMILIES, REGISTRY, Figure, Scope, as_json_values, compute
from wushe.registry import services
from wushe.registry.models import PersonStatus, Tag

TODAY = timezone.localdate()

ZERO_CATEGORIES = {f"category.{c}": 0 for c in range(1, 8)}
ZERO_LEVELS = {f"level.{lv}": 0 for lv in range(1, 5)}


@pytest.fixture
def street_people(tree: Any, person_a: Any, person_b: Any) -> dict[str, Any]:
    """Households and tags on top of the conftest persons (red in 甲, blue in 乙)."""
    household = services.household_create(acting_user=None, head=person_a)
    spouse = PersonFactory(name="祝妻", region=tree.grid_a, tags=["dibao"])
    services.household_add_member(acting_user=None, household=household, person=spouse, relation="spouse")
    services.person_tags_set(acting_user=None, person=person_a, tags=["dibao", "veteran"])
    gone = PersonFactory(name="迁走", region=tree.community_b, category=2, level=4, tags=["dibao"])
    services.household_create(acting_user=None, head=gone)
    services.person_deregister(acting_user=None, person=gone, status=PersonStatus.MOVED)
    far = PersonFactory(name="彭李", region=tree.community_c, category=7, level=1, tags=["tekun"])
    services.household_create(acting_user=None, head=far)
    return {"a": person_a, "b": person_b, "spouse": spouse, "gone": gone, "far": far}


def values(scope: Scope) -> dict[str, Any]:
    return {k: f.value for k, f in compute(scope).items()}


def test_registry_has_the_registry_metrics() -> None:
    expected = {"communities", "grids", "persons", "households", "disabled"}
    expected |= {f"ledger.{c}" for c in ("red", "blue", "green", "yellow")}
    expected |= set(ZERO_CATEGORIES) | set(ZERO_LEVELS)
    assert expected <= set(REGISTRY)
    assert "tag" in FAMILIES
    for m in REGISTRY.values():
        assert str(m.label) and str(m.unit) and str(m.definition)


def test_compute_for_the_street(tree: Any, street_people: dict[str, Any]) -> None:
    got = values(Scope(region=tree.street))
    assert got["communities"] == 2
    assert got["grids"] == 2
    assert got["persons"] == 3  # 祝长连, 祝妻, 李四 — the moved person no longer counts
    assert got["households"] == 1  # the moved person's household has no active member
    assert got["disabled"] == 2
    assert {k: got[k] for k in ("ledger.red", "ledger.blue", "ledger.green", "ledger.yellow")} == {
        "ledger.red": 1,
        "ledger.blue": 1,
        "ledger.green": 0,
        "ledger.yellow": 0,
    }
    assert {k: got[k] for k in ZERO_CATEGORIES} == ZERO_CATEGORIES | {"category.6": 1, "category.4": 1}
    assert {k: got[k] for k in ZERO_LEVELS} == ZERO_LEVELS | {"level.2": 1, "level.3": 1}
    assert got["tag.dibao"] == 2
    assert got["tag.veteran"] == 1
    assert got["tag.tekun"] == 0
    # one figure per configured tag, zero or not
    assert {k for k in got if k.startswith("tag.")} == {f"tag.{t.code}" for t in Tag.objects.all()}


def test_compute_for_the_county_and_a_community(tree: Any, street_people: dict[str, Any]) -> None:
    county = values(Scope(region=tree.county))
    assert (county["communities"], county["grids"], county["persons"], county["households"]) == (3, 2, 4, 2)
    assert (county["disabled"], county["ledger.yellow"], county["level.1"]) == (3, 1, 1)
    assert county["tag.tekun"] == 1
    community = values(Scope(region=tree.community_a))
    assert (community["communities"], community["grids"], community["persons"]) == (1, 1, 2)
    assert (community["disabled"], community["ledger.red"], community["ledger.blue"]) == (1, 1, 0)
    assert community["tag.dibao"] == 2
    grid = values(Scope(region=tree.grid_b))
    assert (grid["communities"], grid["grids"], grid["persons"], grid["disabled"]) == (0, 1, 0, 0)


def test_compute_is_scoped_by_user(tree: Any, users: Any, street_people: dict[str, Any]) -> None:
    as_worker = values(Scope(region=tree.street, user=users.worker_a))
    assert (as_worker["communities"], as_worker["grids"], as_worker["persons"]) == (1, 1, 2)
    assert (
        as_worker["households"],
        as_worker["disabled"],
        as_worker["ledger.red"],
        as_worker["ledger.blue"],
    ) == (
        1,
        1,
        1,
        0,
    )
    assert as_worker["tag.dibao"] == 2
    as_nobody = values(Scope(region=tree.street, user=users.nobody))
    assert {k: v for k, v in as_nobody.items() if v} == {}  # zero, or no rate at all
    assert values(Scope(region=tree.street, user=users.street_admin)) == values(Scope(region=tree.street))
    assert values(Scope(region=tree.county, user=users.street_admin)) == values(Scope(region=tree.street))
    assert values(Scope(region=tree.county, user=users.admin)) == values(Scope(region=tree.county))


def test_compute_as_of_a_past_day(tree: Any, street_people: dict[str, Any]) -> None:
    past = Scope(region=tree.street, end=TODAY - datetime.timedelta(days=1))
    got = values(past)
    assert got["disabled"] == 0  # every certificate of the fixtures starts today
    assert got["persons"] == 3  # a head count, not dated


def test_compute_selected_keys(tree: Any, street_people: dict[str, Any]) -> None:
    figures = compute(Scope(region=tree.street), keys=["ledger.red", "tag.dibao", "persons"])
    assert list(figures) == ["persons", "ledger.red", "tag.dibao"]
    red = figures["ledger.red"]
    assert (red.key, red.label, red.unit, red.value) == ("ledger.red", "红色", "人", 1)
    assert (red.period, red.chart, red.drill, red.colour) == ("as_of", "ledger", True, "red")
    assert isinstance(red, Figure)
    assert figures["tag.dibao"].label.endswith("低保")
    assert figures["tag.dibao"].value == 2
    with pytest.raises(KeyError):
        compute(Scope(region=tree.street), keys=["no.such.metric"])
    with pytest.raises(KeyError):
        compute(Scope(region=tree.street), keys=["tag.no-such-tag"])


def test_the_ledger_is_read_once_for_all_its_figures(
    tree: Any, street_people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ledger_only:
        compute(Scope(region=tree.street), keys=["ledger.red"])
    with CaptureQueriesContext(connection) as all_ledger:
        compute(
            Scope(region=tree.street),
            keys=[
                "disabled",
                *(f"ledger.{c}" for c in ("red", "blue", "green", "yellow")),
                *ZERO_CATEGORIES,
                *ZERO_LEVELS,
            ],
        )
    assert len(all_ledger.captured_queries) == len(ledger_only.captured_queries)
    # 15 for the registry's figures, 9 for outreach (one per table: needs ×3, problems, visits,
    # coverage, resources, organizations, projects), 16 for service work (casework, appeals and
    # studio projects, volunteers and their hours by type), 8 for the charity funds (funds open,
    # raised, spent and balance from the journal, projects paid, donations, goods, donors), 6 for
    # the poverty work (households checked, failed items, objects, eliminated, overdue, warnings),
    # 26 for work and income, the two subsidies, care, rentals and policies (one or two a figure),
    # 4 for the residents' door and consent (ratings, their satisfaction, submissions, sensitive
    # data without consent or basis)
    with django_assert_max_num_queries(15 + 9 + 16 + 8 + 6 + 26 + 4):
        compute(Scope(region=tree.street))


def test_as_json_values() -> None:
    figures = {
        "a": Figure(key="a", label="A", unit="元", value=Decimal("12.50")),
        "b": Figure(key="b", label="B", unit="人", value=3),
    }
    assert as_json_values(figures) == {"a": 12.5, "b": 3}
    assert isinstance(as_json_values(figures)["b"], int)
