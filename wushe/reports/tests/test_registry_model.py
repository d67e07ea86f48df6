"""The registry of metrics itself: records behind each figure, periods, rates, has_data."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import PersonFactory
from wushe.core import metrics as m
from wushe.core.metrics import (
    FAMILIES,
    REGISTRY,
    Figure,
    Scope,
    compute,
    compute_known,
    rate,
    recompute,
    records_for,
)
from wushe.registry.models import Person

TODAY = timezone.localdate()


@pytest.fixture
def scratch_registry() -> Any:
    """Register throwaway metrics and take them out again."""
    saved = dict(m.REGISTRY), dict(m.FAMILIES), dict(m.CHART_GROUPS)
    yield
    m.REGISTRY.clear()
    m.REGISTRY.update(saved[0])
    m.FAMILIES.clear()
    m.FAMILIES.update(saved[1])
    m.CHART_GROUPS.clear()
    m.CHART_GROUPS.update(saved[2])


def test_the_old_call_still_registers(scratch_registry: Any, tree: Any) -> None:
    @m.metric("scratch.count", label="计数", unit="个", definition="测试")
    def count(scope: Scope) -> int:
        return 7

    f = compute(Scope(region=tree.street), ["scratch.count"])["scratch.count"]
    assert (f.value, f.period, f.drill, f.has_data, f.display) == (7, "range", False, True, "7")
    assert records_for("scratch.count", Scope(region=tree.street)) is None
    with pytest.raises(ValueError):
        m.metric("scratch.count", label="x", unit="x", definition="x")(count)
    with pytest.raises(ValueError):
        m.metric("scratch.bad", label="x", unit="x", definition="x", period="weekly")


def test_rates_have_one_decimal_and_none_without_a_denominator(scratch_registry: Any, tree: Any) -> None:
    assert rate(385, 390) == Decimal("98.7")
    assert rate(199, 200) == Decimal("99.5")
    assert rate(0, 5) == Decimal("0.0")
    assert rate(3, 0) is None and rate(None, 3) is None

    @m.metric("scratch.rate", label="比率", unit="%", definition="测试", rate=True)
    def r(scope: Scope) -> Decimal | None:
        return rate(1, 3) if scope.start else None

    with_period = compute(Scope(region=tree.street, start=TODAY), ["scratch.rate"])["scratch.rate"]
    assert (with_period.value, with_period.display, with_period.has_data) == (Decimal("33.3"), "33.3%", True)
    without = compute(Scope(region=tree.street), ["scratch.rate"])["scratch.rate"]
    assert (without.value, without.display, without.has_data) == (None, "—", False)
    zero_rate = Figure(key="x", label="x", unit="%", value=Decimal("0.0"), rate=True)
    assert zero_rate.has_data  # 0% of something found is data; zero counts are not
    assert not Figure(key="y", label="y", unit="人", value=0).has_data


def test_compute_known_skips_unregistered_keys(tree: Any, person_a: Any) -> None:
    got = compute_known(Scope(region=tree.street), ["persons", "nope", "tag.dibao", "tag.nope", "x.y"])
    assert set(got) == {"persons", "tag.dibao"}


def test_in_period_filters_dates_and_datetimes(tree: Any, person_a: Any) -> None:
    from wushe.registry.models import DisabilityCertificate, Person

    scope = Scope(region=tree.street, start=TODAY, end=TODAY)
    assert scope.in_period(Person.objects.all(), "created_at").count() == 1
    assert scope.in_period(DisabilityCertificate.objects.all(), "valid_from").count() == 1
    yesterday = TODAY - datetime.timedelta(days=1)
    before = Scope(region=tree.street, start=yesterday - datetime.timedelta(days=30), end=yesterday)
    assert before.in_period(Person.objects.all(), "created_at").count() == 0


@pytest.mark.parametrize("user_attr", [None, "street_admin", "worker_a", "nobody"])
def test_every_figure_is_made_of_the_records_it_lists(
    tree: Any, users: Any, person_a: Any, person_b: Any, user_attr: str | None
) -> None:
    """The drill-down lists exactly the records a figure is made of, in the same scope: computed
    again from them (count, sum, rate or parts) it is the figure."""
    PersonFactory(region=tree.community_c, category=7, level=1, tags=["tekun"])
    PersonFactory(region=tree.grid_a, tags=["dibao"])
    user = getattr(users, user_attr) if user_attr else None
    for start, end in [
        (None, None),
        (TODAY, TODAY),
        (TODAY - datetime.timedelta(days=9), TODAY - datetime.timedelta(days=1)),
    ]:
        scope = Scope(region=tree.street, user=user, start=start, end=end)
        for key, f in compute(scope).items():
            assert f.drill, key
            again = recompute(key, Scope(region=tree.street, user=user, start=start, end=end))
            assert again == f.value, (key, user_attr, start, end)


def test_every_registered_metric_and_family_lists_its_records() -> None:
    """A figure without records (or parts) could not be checked nor opened: none is registered."""
    assert [k for k, m in REGISTRY.items() if not m.drillable] == []
    assert [p for p, fam in FAMILIES.items() if fam.records is None] == []


def test_sum_rate_and_parts_need_what_they_are_made_of(scratch_registry: Any) -> None:
    with pytest.raises(ValueError, match="need records"):
        m.metric("scratch.sum", label="s", unit="份", definition="d", sum_of="leaflets")(lambda s: 0)
    with pytest.raises(ValueError, match="lists its parts"):
        m.metric(
            "scratch.parts",
            label="s",
            unit="次",
            definition="d",
            records=lambda s: Person.objects.none(),
            parts=lambda s: [],
        )(lambda s: 0)


def test_registry_metrics_declare_periods_and_charts() -> None:
    assert REGISTRY["persons"].period == "none"
    assert REGISTRY["disabled"].period == "as_of"
    assert REGISTRY["persons.new"].period == "range" and REGISTRY["persons.new"].trend
    assert {REGISTRY[f"ledger.{c}"].chart for c in ("red", "blue", "green", "yellow")} == {"ledger"}
    registry_app = [m for m in REGISTRY.values() if m.compute.__module__ == "wushe.registry.metrics"]
    assert registry_app and all(m.records is not None for m in registry_app)


def test_a_percent_unit_makes_a_rate(scratch_registry: Any, tree: Any) -> None:
    @m.metric("scratch.pct", label="满意率", unit="%", definition="测试")
    def pct(scope: Scope) -> Decimal:
        return Decimal("99.46")

    f = compute(Scope(region=tree.street), ["scratch.pct"])["scratch.pct"]
    assert (f.rate, f.value, f.display) == (True, Decimal("99.5"), "99.5%")
