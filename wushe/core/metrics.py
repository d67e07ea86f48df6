"""The metric registry: every figure wushe shows is defined here once.

A metric has a key (``ledger.red``), a Chinese label with English translation, a unit, a
one-line definition, and a function that computes its value for a :class:`Scope` (a region, the
user whose scope applies — ``None`` for the operator's command line — and an optional
period). Apps register their metrics in their own ``metrics.py`` with :func:`metric`; metrics
that come as a family (one per tag) register with :func:`metric_family`. The dashboard, the
work report, the API's ``/stats``, the ``stats`` command and the benchmark all call
:func:`compute`; nothing else computes a figure.

Optional, keyword-only, for each metric:

- ``records=`` a function ``(Scope) -> QuerySet`` of exactly the records the figure is made of,
  scoped through :meth:`Scope.of` (the drill-down page lists them). By default the figure is
  their number; ``sum_of="leaflets"`` makes it the sum of that field over them, ``numerator=``
  (``(QuerySet, Scope) -> QuerySet``, the records that count) makes a rate of them — the records are the
  denominator — and ``value_from=`` (``QuerySet -> value``) anything else (an average).
  :func:`from_records` computes a figure again from its records: the tests hold that it equals
  the figure;
- ``parts=`` for a figure that adds up other figures (``services`` = case services + group
  sessions + activities): a function ``(Scope) -> [(key, Scope)]`` naming them and the scope each
  is taken over; the drill-down page then lists the parts, each opening its own records. The
  figure is the sum of the parts, or for a rate the rate of their summed numerators and
  denominators;
- ``period=`` how the period applies: ``"range"`` (the default: records dated within
  ``start``–``end``, e.g. visits; filter them with :meth:`Scope.in_period`), ``"as_of"`` (a state
  on the period's last day, e.g. certificates in force) or ``"none"`` (a head count of today);
- ``chart=`` the key of a chart group (:func:`chart_group`): the dashboard draws one chart per
  group with the group's metrics as its segments; metrics without a group are cards;
- ``rate=True`` for a percentage: the value is a ``Decimal`` with one decimal or ``None`` when
  its denominator is zero (use :func:`rate`);
- ``trend=True``: the dashboard draws the figure month by month over the period; with
  ``date_field=`` (the records' date, for a count of its records) that is one grouped query.

A figure "has data" when its value is not ``None`` and, for counts, not zero: the work report
leaves out what has no data instead of stating a zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, TypeVar

from django.db.models import Model, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wushe.core.scope import Scope, local_midnight, model_field  # noqa: F401 — part of this module's API

Number = int | Decimal  # counts and sums; money and rates are Decimal, never float
Q = TypeVar("Q", bound=Model)
Period = Literal["range", "as_of", "none"]
PERIODS: tuple[str, ...] = ("range", "as_of", "none")


RecordsFn = Callable[[Scope], QuerySet[Any]]
ComputeFn = TypeVar("ComputeFn", bound=Callable[[Scope], Number | None])
FamilyFn = TypeVar("FamilyFn", bound=Callable[[Scope], Mapping[str, tuple[str, Number]]])
PartsFn = Callable[[Scope], list[tuple[str, Scope]]]
NumeratorFn = Callable[[QuerySet[Any], Scope], QuerySet[Any]]


@dataclass(frozen=True)
class ChartGroup:
    key: str
    label: str | Promise
    kind: str = "bar"  # "bar" or "pie"
    order: int = 100


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    unit: str | Promise
    definition: str | Promise
    compute: Callable[[Scope], Number | None]
    records: RecordsFn | None = None
    period: str = "range"
    chart: str = ""
    rate: bool = False
    trend: bool = False
    colour: str = ""  # a chart colour name for app.js (the ledger colours)
    date_field: str = ""  # the records' date: a trend is then one grouped query, not one a month
    sum_of: str = ""  # the figure is the sum of this field over the records
    numerator: NumeratorFn | None = None  # a rate: of its records, those that count
    value_from: Callable[[QuerySet[Any]], Any] | None = None  # the figure from its records, otherwise
    parts: PartsFn | None = None  # a sum (or rate) of other figures

    @property
    def drillable(self) -> bool:
        return self.records is not None or self.parts is not None


@dataclass(frozen=True)
class MetricFamily:
    prefix: str
    label: str | Promise
    unit: str | Promise
    definition: str | Promise
    compute: Callable[[Scope], Mapping[str, tuple[str, Number]]]  # suffix -> (label, value)
    records: Callable[[Scope, str], QuerySet[Any]] | None = None  # (scope, suffix) -> records
    period: str = "range"
    chart: str = ""
    rate: bool = False
    sum_of: str = ""  # each member is the sum of this field over its records


REGISTRY: dict[str, Metric] = {}
FAMILIES: dict[str, MetricFamily] = {}
CHART_GROUPS: dict[str, ChartGroup] = {}


def _check_period(key: str, period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"metric {key}: period must be one of {PERIODS}, not {period!r}")


def metric(
    key: str,
    *,
    label: str | Promise,
    unit: str | Promise,
    definition: str | Promise,
    records: RecordsFn | None = None,
    period: str = "range",
    chart: str = "",
    rate: bool = False,
    trend: bool = False,
    colour: str = "",
    date_field: str = "",
    sum_of: str = "",
    numerator: NumeratorFn | None = None,
    value_from: Callable[[QuerySet[Any]], Any] | None = None,
    parts: PartsFn | None = None,
) -> Callable[[ComputeFn], ComputeFn]:
    _check_period(key, period)
    rate = rate or str(unit) == "%"  # a percentage declared by its unit alone is a rate too
    if (sum_of or numerator or value_from) and records is None:
        raise ValueError(f"metric {key}: sum_of, numerator and value_from need records=")
    if parts is not None and records is not None:
        raise ValueError(f"metric {key}: a figure of parts lists its parts, not records")

    def register(fn: ComputeFn) -> ComputeFn:
        if key in REGISTRY:
            raise ValueError(f"metric {key} registered twice")
        REGISTRY[key] = Metric(
            key=key,
            label=label,
            unit=unit,
            definition=definition,
            compute=fn,
            records=records,
            period=period,
            chart=chart,
            rate=rate,
            trend=trend,
            colour=colour,
            date_field=date_field,
            sum_of=sum_of,
            numerator=numerator,
            value_from=value_from,
            parts=parts,
        )
        return fn

    return register


def metric_family(
    prefix: str,
    *,
    label: str | Promise,
    unit: str | Promise,
    definition: str | Promise,
    records: Callable[[Scope, str], QuerySet[Any]] | None = None,
    period: str = "range",
    chart: str = "",
    rate: bool = False,
    sum_of: str = "",
) -> Callable[[FamilyFn], FamilyFn]:
    _check_period(prefix, period)
    rate = rate or str(unit) == "%"
    if sum_of and records is None:
        raise ValueError(f"metric family {prefix}: sum_of needs records=")

    def register(fn: FamilyFn) -> FamilyFn:
        FAMILIES[prefix] = MetricFamily(
            prefix=prefix,
            label=label,
            unit=unit,
            definition=definition,
            compute=fn,
            records=records,
            period=period,
            chart=chart,
            rate=rate,
            sum_of=sum_of,
        )
        return fn

    return register


def chart_group(key: str, *, label: str | Promise, kind: str = "bar", order: int = 100) -> ChartGroup:
    """Declare a dashboard chart; metrics join it with ``chart=key``. Declaring it again keeps
    the first declaration (two apps may both name a group they share)."""
    if key not in CHART_GROUPS:
        CHART_GROUPS[key] = ChartGroup(key=key, label=label, kind=kind, order=order)
    return CHART_GROUPS[key]


# Charts the areas still to come will fill (needs by category and status, requests by step,
# volunteer hours by service type …): declared here so that their metrics only name the group.
_WELL_KNOWN_GROUPS = [
    ("needs.category", _("需求类别"), "bar", 50),
    ("needs.status", _("需求办理状态"), "pie", 51),
    ("satisfaction", _("满意率（按来源）"), "bar", 55),
    ("appeals.step", _("诉求办理环节"), "bar", 60),
    ("volunteer_hours.type", _("志愿服务时长（按服务类型）"), "bar", 70),
    ("services.type", _("服务类型"), "bar", 80),
]


def declare_well_known_groups() -> None:
    for key, label, kind, order in _WELL_KNOWN_GROUPS:
        chart_group(key, label=label, kind=kind, order=order)


def set_records(key: str, records: RecordsFn) -> None:
    """Give an already registered metric its records function (for metrics registered before
    their app had one)."""
    REGISTRY[key] = replace(REGISTRY[key], records=records)


_TENTH = Decimal("0.1")


def rate(numerator: Number | None, denominator: Number | None) -> Decimal | None:
    """``numerator / denominator`` as a percentage with one decimal; ``None`` without a denominator."""
    if not denominator or numerator is None:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    value: Number | None
    rate: bool = False
    period: str = "range"
    chart: str = ""
    drill: bool = False  # the records behind it can be listed
    colour: str = ""

    @property
    def has_data(self) -> bool:
        if self.value is None:
            return False
        return True if self.rate else self.value != 0

    @property
    def display(self) -> str:
        """The value as the report and the cards write it (``98.7%``, ``6320``; ``—`` without data)."""
        if self.value is None:
            return "—"
        if self.rate:
            return f"{Decimal(self.value).quantize(_TENTH, rounding=ROUND_HALF_UP)}%"
        if isinstance(self.value, Decimal):
            return (
                f"{self.value.normalize():f}" if self.value == self.value.to_integral() else f"{self.value:f}"
            )
        return str(self.value)


def family_of(key: str) -> tuple[MetricFamily, str] | None:
    for prefix, fam in FAMILIES.items():
        if key.startswith(prefix + "."):
            return fam, key[len(prefix) + 1 :]
    return None


def is_known(key: str) -> bool:
    """A registered metric or a member-shaped key of a registered family (its value may still be
    missing for a scope: family members come from data such as the configured tags)."""
    return key in REGISTRY or family_of(key) is not None


def records_for(key: str, scope: Scope) -> QuerySet[Any] | None:
    """The records behind a figure, or ``None`` when the metric lists none (KeyError: unknown)."""
    if key in REGISTRY:
        fn = REGISTRY[key].records
        return fn(scope) if fn is not None else None
    found = family_of(key)
    if found is None:
        raise KeyError(key)
    fam, suffix = found
    return fam.records(scope, suffix) if fam.records is not None else None


def parts_for(key: str, scope: Scope) -> list[tuple[str, Scope]] | None:
    """The figures a figure adds up, each with the scope it is taken over (``None``: not a sum)."""
    m = REGISTRY.get(key)
    return m.parts(scope) if m is not None and m.parts is not None else None


def numerator_of(key: str, records: QuerySet[Any], scope: Scope) -> QuerySet[Any] | None:
    """Of a rate's records (its denominator), those that count; ``None`` for other figures."""
    m = REGISTRY.get(key)
    return m.numerator(records, scope) if m is not None and m.numerator is not None else None


def sum_field(key: str) -> str:
    """The field a figure sums over its records (``""``: the figure is not a sum)."""
    if key in REGISTRY:
        return REGISTRY[key].sum_of
    found = family_of(key)
    return found[0].sum_of if found else ""


def from_records(key: str, records: QuerySet[Any], scope: Scope) -> Number | None:
    """The figure computed again from the records its drill-down lists: their number, the sum
    of ``sum_of``, the rate of ``numerator`` among them, or ``value_from``."""
    m = REGISTRY.get(key)
    summed = sum_field(key)
    if summed:
        total = records.aggregate(total=Sum(summed))["total"]
        return total if total is not None else 0
    if m is not None and m.numerator is not None:
        return rate(m.numerator(records, scope).count(), records.count())
    if m is not None and m.value_from is not None:
        return _value(m.value_from(records), m.rate)
    return records.count()


def from_parts(key: str, scope: Scope) -> Number | None:
    """A figure of parts computed again from its parts' records: the sum of the parts, or for a
    rate the rate of their summed numerators and denominators."""
    m = REGISTRY[key]
    assert m.parts is not None, key
    numerators = denominators = 0
    total: Number = 0
    for part_key, part_scope in m.parts(scope):
        records = records_for(part_key, part_scope)
        if records is None:
            raise ValueError(f"metric {key}: its part {part_key} lists no records")
        if m.rate:
            counted = numerator_of(part_key, records, part_scope)
            if counted is None:
                raise ValueError(f"metric {key}: its part {part_key} is not a rate of records")
            numerators += counted.count()
            denominators += records.count()
        else:
            total += from_records(part_key, records, part_scope) or 0
    return rate(numerators, denominators) if m.rate else total


def recompute(key: str, scope: Scope) -> Number | None:
    """The figure computed again from the records behind it (``None`` for one that lists none):
    what the tests compare with :func:`compute`."""
    if parts_for(key, scope) is not None:
        return from_parts(key, scope)
    records = records_for(key, scope)
    return None if records is None else from_records(key, records, scope)


def _value(v: Number | None, is_rate: bool) -> Number | None:
    if v is None:
        return None
    if is_rate:
        return Decimal(v).quantize(_TENTH, rounding=ROUND_HALF_UP)
    return v


def _metric_figure(m: Metric, scope: Scope, known: Mapping[str, Number | None] | None = None) -> Figure:
    value = known[m.key] if known is not None and m.key in known else m.compute(scope)
    return Figure(
        key=m.key,
        label=str(m.label),
        unit=str(m.unit),
        value=_value(value, m.rate),
        rate=m.rate,
        period=m.period,
        chart=m.chart,
        drill=m.drillable,
        colour=m.colour,
    )


def _family_figures(fam: MetricFamily, scope: Scope) -> dict[str, Figure]:
    return {
        f"{fam.prefix}.{suffix}": Figure(
            key=f"{fam.prefix}.{suffix}",
            label=f"{fam.label}·{label}",
            unit=str(fam.unit),
            value=_value(value, fam.rate),
            rate=fam.rate,
            period=fam.period,
            chart=fam.chart,
            drill=fam.records is not None,
        )
        for suffix, (label, value) in fam.compute(scope).items()
    }


def compute(
    scope: Scope, keys: Iterable[str] | None = None, known: Mapping[str, Number | None] | None = None
) -> dict[str, Figure]:
    """Figures for the scope, in registry order; ``keys`` limits them (unknown keys: KeyError).
    ``known``: values the caller has already counted from the same records for the same scope
    (the dashboard's month-by-month counts of a period, summed), used instead of counting again."""
    wanted = list(keys) if keys is not None else None
    out: dict[str, Figure] = {}
    for key, m in REGISTRY.items():
        if wanted is None or key in wanted:
            out[key] = _metric_figure(m, scope, known)
    for prefix, fam in FAMILIES.items():
        if wanted is None or any(k.startswith(prefix + ".") for k in wanted):
            for key, fig in _family_figures(fam, scope).items():
                if wanted is None or key in wanted:
                    out[key] = fig
    if wanted is not None:
        missing = [k for k in wanted if k not in out]
        if missing:
            raise KeyError(", ".join(missing))
    return out


def compute_known(scope: Scope, keys: Iterable[str]) -> dict[str, Figure]:
    """Figures for those of ``keys`` that are registered, silently skipping the others (the work
    report names figures of apps that may not be installed)."""
    out: dict[str, Figure] = {}
    families: dict[str, dict[str, Figure]] = {}
    for key in keys:
        if key in REGISTRY:
            out[key] = _metric_figure(REGISTRY[key], scope)
            continue
        found = family_of(key)
        if found is None:
            continue
        fam = found[0]
        if fam.prefix not in families:
            families[fam.prefix] = _family_figures(fam, scope)
        if key in families[fam.prefix]:
            out[key] = families[fam.prefix][key]
    return out


def family_figures(scope: Scope, prefix: str) -> dict[str, Figure]:
    """Every member of a family (e.g. needs by category), ``{}`` if the family is not registered."""
    if prefix not in FAMILIES:
        return {}
    return _family_figures(FAMILIES[prefix], scope)


def json_value(f: Figure) -> Any:
    return float(f.value) if isinstance(f.value, Decimal) else f.value


def as_json_values(figures: dict[str, Figure]) -> dict[str, Any]:
    return {k: json_value(f) for k, f in figures.items()}


def metric_definition(key: str) -> str:
    if key in REGISTRY:
        return str(REGISTRY[key].definition)
    found = family_of(key)
    return str(found[0].definition) if found else ""
