"""The dashboard's figures for a region and period: cards with their comparisons, charts of the
chart groups, month-by-month trends — every number from :func:`metrics.compute`, every number
with the address of the records behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, DateTimeField, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from wushe.core.metrics import (
    CHART_GROUPS,
    FAMILIES,
    REGISTRY,
    Figure,
    Scope,
    compute,
    compute_known,
    json_value,
    local_midnight,
    model_field,
)
from wushe.core.models import Region

from .periods import Period

if TYPE_CHECKING:
    from wushe.core.types import AnyUser


def drill_url(key: str, region: Region, period: Period | None) -> str:
    params = {"region": region.code}
    if period is not None:
        params.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    return f"{reverse('reports:drill', args=[key])}?{urlencode(params)}"


def period_query(region: Region, period: Period) -> str:
    return urlencode({"region": region.code, "from": period.start.isoformat(), "to": period.end.isoformat()})


@dataclass
class Comparison:
    label: str
    value: str  # the other period's value as displayed
    text: str  # 增加 3 / 减少 2 / 持平, in words (no colour-only meaning)
    direction: str  # "up", "down", "same", "" (no data)


def _compare(label: str, now: Figure, then: Figure | None) -> Comparison:
    if then is None or then.value is None or now.value is None:
        return Comparison(label=label, value="—", text=_("无可比数据"), direction="")
    delta = Decimal(now.value) - Decimal(then.value)
    if now.rate:
        amount = f"{abs(delta).quantize(Decimal('0.1'))}"
        unit = _("个百分点")
    else:
        amount = f"{abs(delta).normalize():f}"
        unit = now.unit
    if delta > 0:
        return Comparison(label, then.display, _("增加%(n)s%(unit)s") % {"n": amount, "unit": unit}, "up")
    if delta < 0:
        return Comparison(label, then.display, _("减少%(n)s%(unit)s") % {"n": amount, "unit": unit}, "down")
    return Comparison(label, then.display, _("持平"), "same")


@dataclass
class Card:
    figure: Figure
    url: str
    comparisons: list[Comparison] = field(default_factory=list)
    section: str = ""  # the area the figure belongs to: its app's name (居民档案, 五门一声走访 …)


def _section(key: str) -> str:
    m = REGISTRY.get(key)
    found = None if m is not None else next((f for p, f in FAMILIES.items() if key.startswith(p + ".")), None)
    module = m.compute.__module__ if m is not None else found.compute.__module__ if found else ""
    config = apps.get_containing_app_config(module) if module else None
    return str(config.verbose_name) if config is not None else ""


@dataclass
class Chart:
    key: str
    label: str
    kind: str
    element_id: str
    items: list[dict[str, Any]]
    unit: str

    @property
    def spec(self) -> dict[str, Any]:
        return {"kind": self.kind, "series": self.label, "items": self.items}

    @property
    def has_data(self) -> bool:
        return any(i["value"] for i in self.items)


def _short_label(f: Figure) -> str:
    """A family member's own name (``低保``) rather than ``人员类别·低保``."""
    for prefix, fam in FAMILIES.items():
        if f.key.startswith(prefix + ".") and f.label.startswith(f"{fam.label}·"):
            return f.label[len(str(fam.label)) + 1 :]
    return f.label


@dataclass
class Dashboard:
    region: Region
    period: Period
    previous: Period
    last_year: Period
    figures: dict[str, Figure]
    cards: list[Card]
    charts: list[Chart]
    trends: list[Chart]

    @property
    def sections(self) -> list[tuple[str, list[Card]]]:
        """The cards under the names of their areas, in registry order."""
        out: dict[str, list[Card]] = {}
        for card in self.cards:
            out.setdefault(card.section, []).append(card)
        return list(out.items())


@dataclass
class Counted:
    """What the dashboard counts from the records — the period's figures, the cards' comparisons,
    the trends' months — before it is laid out as cards and charts. Stored as it is
    (:func:`encode` / :func:`decode`) by ``reports.services.figures_store``: the figures counted
    ahead of time."""

    figures: dict[str, Figure]
    before: dict[str, Figure]
    year_ago: dict[str, Figure]
    same: bool
    monthly: dict[str, list[Figure | None]]
    trend_keys: list[str]


def dashboard_for(*, user: AnyUser | None, region: Region, period: Period, trends: bool = True) -> Dashboard:
    """The dashboard of ``region`` over ``period``, counted now from the records."""
    return dashboard_from(region, period, count(user=user, region=region, period=period, trends=trends))


def count(*, user: AnyUser | None, region: Region, period: Period, trends: bool = True) -> Counted:
    """The dashboard's figures in three steps: the figures (a count of dated records taken from
    its months when the trends read them anyway), the same figures over the periods they are
    compared with, and the month-by-month trends."""
    scope = Scope(region=region, user=user, start=period.start, end=period.end)
    trend_keys = [k for k, m in REGISTRY.items() if m.trend and m.period == "range"] if trends else []
    months = period.months() if trend_keys else []
    monthly, figures = _figures(scope, period, months, trend_keys)
    before, year_ago, same = _comparisons(scope, figures, period.previous(), period.last_year())
    return Counted(figures, before, year_ago, same, monthly, trend_keys)


def dashboard_from(region: Region, period: Period, counted: Counted) -> Dashboard:
    """The cards and charts of the counted figures (counted now, or stored ahead of time)."""
    figures = counted.figures

    def url(key: str, p: Period = period) -> str:
        return drill_url(key, region, p) if figures[key].drill else ""

    cards, grouped = _cards(figures, counted.before, counted.year_ago, same=counted.same, url=url)
    months = period.months() if counted.trend_keys else []
    return Dashboard(
        region=region,
        period=period,
        previous=period.previous(),
        last_year=period.last_year(),
        figures=figures,
        cards=cards,
        charts=_charts(grouped, url=url),
        trends=_trend_charts(figures, months, counted.monthly, counted.trend_keys, region=region),
    )


# ---- the counted figures as JSON (reports.models.FigureSnapshot) ---------------------------------

_FIELDS = ("key", "label", "unit", "value", "rate", "period", "chart", "drill", "colour")


def _encode_figure(f: Figure | None) -> list[Any] | None:
    if f is None:
        return None
    value: Any = {"d": str(f.value)} if isinstance(f.value, Decimal) else f.value  # exact, never float
    return [f.key, str(f.label), str(f.unit), value, f.rate, f.period, f.chart, f.drill, f.colour]


def _decode_figure(row: list[Any] | None) -> Figure | None:
    if row is None:
        return None
    fields = dict(zip(_FIELDS, row, strict=True))
    if isinstance(fields["value"], dict):
        fields["value"] = Decimal(fields["value"]["d"])
    return Figure(**fields)


def encode(counted: Counted) -> dict[str, Any]:
    def many(figures: dict[str, Figure]) -> list[Any]:
        return [_encode_figure(f) for f in figures.values()]

    return {
        "figures": many(counted.figures),
        "before": many(counted.before),
        "year_ago": many(counted.year_ago),
        "same": counted.same,
        "monthly": {k: [_encode_figure(f) for f in fs] for k, fs in counted.monthly.items()},
        "trend_keys": counted.trend_keys,
    }


def decode(data: dict[str, Any]) -> Counted:
    def many(rows: list[Any]) -> dict[str, Figure]:
        out: dict[str, Figure] = {}
        for row in rows:
            f = _decode_figure(row)
            if f is not None:
                out[f.key] = f
        return out

    return Counted(
        figures=many(data["figures"]),
        before=many(data["before"]),
        year_ago=many(data["year_ago"]),
        same=bool(data["same"]),
        monthly={k: [_decode_figure(r) for r in rows] for k, rows in data["monthly"].items()},
        trend_keys=list(data["trend_keys"]),
    )


def _figures(
    scope: Scope, period: Period, months: list[Period], trend_keys: list[str]
) -> tuple[dict[str, list[Figure | None]], dict[str, Figure]]:
    """The trends' months and the period's figures. A count of dated records over the period is
    the sum of its months' counts when the months cover the whole period: not counted again."""
    monthly, counted = _monthly(scope, months, trend_keys) if months else ({}, set())
    whole = bool(months) and (months[0].start, months[-1].end) == (period.start, period.end)
    known = {k: sum(f.value or 0 for f in monthly[k] if f) for k in counted} if whole else {}
    return monthly, compute(scope, known=known)


def _comparisons(
    scope: Scope, figures: dict[str, Figure], previous: Period, last_year: Period
) -> tuple[dict[str, Figure], dict[str, Figure], bool]:
    """The cards' figures over the previous period and the same period last year (a chart's
    segments are not compared). When the previous period *is* last year's (this year so far), it
    is computed and shown once: ``same``."""
    dated = [k for k, f in figures.items() if f.period != "none" and not f.chart]
    before = compute_known(scope.shifted(previous.start, previous.end), dated) if dated else {}
    same = previous == last_year
    if same or not dated:
        return before, before, same
    return before, compute_known(scope.shifted(last_year.start, last_year.end), dated), same


def _cards(
    figures: dict[str, Figure],
    before: dict[str, Figure],
    year_ago: dict[str, Figure],
    *,
    same: bool,
    url: Callable[[str], str],
) -> tuple[list[Card], dict[str, list[Figure]]]:
    """A card for each figure outside a chart group, with its comparisons; the others grouped."""
    cards: list[Card] = []
    grouped: dict[str, list[Figure]] = {}
    for key, f in figures.items():
        if f.chart:
            grouped.setdefault(f.chart, []).append(f)
            continue
        card = Card(figure=f, url=url(key), section=_section(key))
        if f.period != "none":
            card.comparisons = [_compare(_("去年同期"), f, year_ago.get(key))]
            if not same:
                card.comparisons.insert(0, _compare(_("上期"), f, before.get(key)))
        cards.append(card)
    return cards, grouped


def _charts(grouped: dict[str, list[Figure]], *, url: Callable[[str], str]) -> list[Chart]:
    """One chart per chart group, its figures as the segments, in the groups' declared order."""
    charts: list[Chart] = []
    ordered = sorted(grouped, key=lambda g: (CHART_GROUPS[g].order if g in CHART_GROUPS else 1000, g))
    for group in ordered:
        declared = CHART_GROUPS.get(group)
        members = grouped[group]
        charts.append(
            Chart(
                key=group,
                label=str(declared.label) if declared else group,
                kind=declared.kind if declared else "bar",
                element_id=f"chart-{group.replace('.', '-')}",
                unit="" if members[0].rate else members[0].unit,
                items=[
                    {
                        "key": f.key,
                        "label": _short_label(f),
                        "value": json_value(f) or 0,
                        "display": f.display,
                        "colour": f.colour or "default",
                        "url": url(f.key),
                        "rate": f.rate,
                    }
                    for f in members
                ],
            )
        )
    return charts


def _trend_charts(
    figures: dict[str, Figure],
    months: list[Period],
    monthly: dict[str, list[Figure | None]],
    trend_keys: list[str],
    *,
    region: Region,
) -> list[Chart]:
    """A line chart for each trend figure, month by month over the period."""
    if not months:
        return []
    trend_charts: list[Chart] = []
    for key in trend_keys:
        f = figures[key]
        trend_charts.append(
            Chart(
                key=key,
                label=_("%(label)s（逐月）") % {"label": f.label},
                kind="line",
                element_id=f"trend-{key.replace('.', '-')}",
                unit=f.unit,
                items=[
                    {
                        "key": key,
                        "label": f"{m.start:%Y-%m}",
                        "value": json_value(got) if got is not None and got.value is not None else 0,
                        "display": got.display if got is not None else "—",
                        "colour": "default",
                        "url": drill_url(key, region, m) if f.drill else "",
                    }
                    for m, got in zip(months, monthly[key], strict=True)
                ],
            )
        )
    return trend_charts


def _month_q(model: Any, date_field: str, p: Period) -> Q:
    if isinstance(model_field(model, date_field), DateTimeField):
        return Q(
            **{
                f"{date_field}__gte": local_midnight(p.start),
                f"{date_field}__lt": local_midnight(p.end + timedelta(days=1)),
            }
        )
    return Q(**{f"{date_field}__gte": p.start, f"{date_field}__lte": p.end})


def _monthly(
    scope: Scope, months: list[Period], keys: list[str]
) -> tuple[dict[str, list[Figure | None]], set[str]]:
    """Each trend metric month by month: from its records when it names their date
    (``date_field``), else the whole metric computed for each month. Also the keys whose months
    are counts of their records by that date (their months add up to the period's figure)."""
    out: dict[str, list[Figure | None]] = {}
    counted: set[str] = set()
    rest = []
    whole = scope.shifted(months[0].start, months[-1].end) if months else scope
    for key in keys:
        m = REGISTRY[key]
        if m.parts is not None and not m.rate:
            series = _parts_monthly(scope, whole, months, key)
            if series is not None:
                out[key] = series
                counted.add(key)
                continue
        if not (m.date_field and m.records) or m.sum_of or m.numerator or m.value_from:
            rest.append(key)
            continue
        records = m.records(whole).prefetch_related(None).order_by()
        if isinstance(model_field(records.model, m.date_field), DateTimeField):
            # a count a month over the (region, date) index: a month without records costs an
            # index probe and no row is converted to another time zone (at a million rows this
            # beat one grouped query and one pass with a filtered count per month)
            by_month = [records.filter(_month_q(records.model, m.date_field, p)).count() for p in months]
        else:
            # a date: one query grouped by the day itself, added up into months here (at a million
            # rows a group per raw date took 71 ms where grouping by its month took 165–213:
            # the month's expression costs more per row than the grouping; docs/benchmarks.md)
            by_day = (
                records.filter(**{f"{m.date_field}__isnull": False})
                .values_list(m.date_field)
                .annotate(n=Count("*"))  # count(*), not count(id): the (region, date) index answers alone
                .values_list(m.date_field, "n")
            )
            in_month: dict[tuple[int, int], int] = {}
            for d, n in by_day:
                in_month[(d.year, d.month)] = in_month.get((d.year, d.month), 0) + n
            by_month = [in_month.get((p.start.year, p.start.month), 0) for p in months]
        label, unit = str(m.label), str(m.unit)
        out[key] = [Figure(key=key, label=label, unit=unit, value=n, drill=True) for n in by_month]
        counted.add(key)
    if rest:
        per_month = [compute_known(scope.shifted(p.start, p.end), rest) for p in months]
        for key in rest:
            out[key] = [got.get(key) for got in per_month]
    return out, counted


def _parts_monthly(scope: Scope, whole: Scope, months: list[Period], key: str) -> list[Figure | None] | None:
    """A sum of other figures month by month as the sum of its parts' months, when every part
    is taken over the same period and counts dated records; else ``None``."""
    m = REGISTRY[key]
    assert m.parts is not None
    parts = m.parts(whole)
    same = all(
        (p.start, p.end) == (whole.start, whole.end)
        and k in REGISTRY
        and REGISTRY[k].date_field
        and REGISTRY[k].records
        and not (REGISTRY[k].sum_of or REGISTRY[k].numerator or REGISTRY[k].value_from)
        for k, p in parts
    )
    if not same:
        return None
    monthly, _counted = _monthly(scope, months, [k for k, _p in parts])
    label, unit = str(m.label), str(m.unit)
    return [
        Figure(key=key, label=label, unit=unit, value=sum(f.value or 0 for f in month if f), drill=True)
        for month in zip(*monthly.values(), strict=True)
    ]
