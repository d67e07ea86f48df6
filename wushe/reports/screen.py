"""数据大屏: what the street office's wall shows — the key figures and six charts of a region and
period on one 1920×1080 screen, with no scrolling, large enough to read across a room.

The figures are the dashboard's (:func:`reports.dashboard.dashboard_for`), chosen here: the
cards of :data:`WALL_CARDS` and the charts of :data:`WALL_CHARTS` whose apps are installed (a
chart without data gives its place to the next chart group that has some). The page fetches
``/api/v1/stats`` for the same region and period every :func:`refresh_seconds` seconds and
updates the numbers and charts in place (``app.js``); it reloads itself when the day changes, so
that a period running to today moves with it. Every figure on the wall is a metric of the
registry: the API answers all of them, so a chart's segments and the cards refresh alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from .dashboard import Card, Chart, Dashboard

# The key figures, in the order the wall shows them (six to a row): the registry, the 五门一声
# visits, the needs, the service work and the requests, the satisfaction of the people served.
WALL_CARDS = [
    "persons",
    "disabled",
    "social_workers",
    "volunteers",
    "visits",
    "visits.coverage",
    "needs",
    "needs.met",
    "services",
    "appeals",
    "difficulties_solved",
    "satisfaction_rate",
]
WALL_CHARTS = ["ledger", "needs.category", "needs.status", "appeals.step", "volunteer_hours.type", "category"]
WALL_CHART_COUNT = 6


def refresh_seconds() -> int:
    """How often the wall fetches its figures again (``WUSHE_SCREEN_REFRESH_SECONDS``, 60 s)."""
    return max(10, int(getattr(settings, "WUSHE_SCREEN_REFRESH_SECONDS", 60)))


@dataclass
class Wall:
    cards: list[Card]
    charts: list[Chart]
    stats_url: str  # /api/v1/stats for the wall's region and period
    refresh_seconds: int


def wall_for(board: Dashboard) -> Wall:
    by_key = {card.figure.key: card for card in board.cards}
    cards = [by_key[key] for key in WALL_CARDS if key in by_key]
    charts = {chart.key: chart for chart in board.charts if chart.has_data}
    chosen = [charts[key] for key in WALL_CHARTS if key in charts]
    chosen += [chart for key, chart in charts.items() if key not in WALL_CHARTS]
    query = {
        "region": board.region.code,
        "from": board.period.start.isoformat(),
        "to": board.period.end.isoformat(),
    }
    return Wall(
        cards=cards,
        charts=chosen[:WALL_CHART_COUNT],
        stats_url=f"{reverse('api:stats')}?{urlencode(query)}",
        refresh_seconds=refresh_seconds(),
    )
