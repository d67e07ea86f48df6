"""数据大屏 (reports.screen): the wall's key figures and charts, and where it refreshes them from."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from wushe.reports.dashboard import dashboard_for
from wushe.reports.periods import Period
from wushe.reports.screen import WALL_CARDS, WALL_CHART_COUNT, WALL_CHARTS, wall_for

pytestmark = pytest.mark.django_db

SCREEN = reverse("reports:screen")
THIS_YEAR = timezone.localdate().year  # the factories' certificates start today
YEAR = Period(datetime.date(THIS_YEAR, 1, 1), datetime.date(THIS_YEAR, 12, 31))


def test_the_wall_shows_its_key_figures_in_order_and_charts_with_data(
    tree: Any, users: Any, person_a: Any, person_b: Any
) -> None:
    board = dashboard_for(user=users.street_admin, region=tree.street, period=YEAR)
    wall = wall_for(board)
    assert [c.figure.key for c in wall.cards] == WALL_CARDS  # every app of the wall is installed
    keys = [c.key for c in wall.charts]
    assert len(keys) <= WALL_CHART_COUNT and all(c.has_data for c in wall.charts)
    # the ledger and the disability categories have data (two certificates): first of theirs
    assert keys[:1] == ["ledger"] and "category" in keys
    listed = [k for k in keys if k in WALL_CHARTS]
    assert listed == [k for k in WALL_CHARTS if k in listed]  # the declared order
    without_data = {c.key for c in board.charts if not c.has_data}
    assert not without_data & set(keys)


@override_settings(WUSHE_SCREEN_REFRESH_SECONDS=30)
def test_the_page_names_its_stats_address_and_refresh(users: Any, person_a: Any) -> None:
    response = login(users.street_admin).get(
        SCREEN, {"region": "371602003000", "from": f"{THIS_YEAR}-01-01", "to": f"{THIS_YEAR}-12-31"}
    )
    assert response.status_code == 200
    wall = response.context["wall"]
    assert wall.refresh_seconds == 30
    url = urlparse(wall.stats_url)
    assert url.path == "/api/v1/stats"
    assert parse_qs(url.query) == {
        "region": ["371602003000"],
        "from": [f"{THIS_YEAR}-01-01"],
        "to": [f"{THIS_YEAR}-12-31"],
    }
    page = response.content.decode()
    assert 'data-refresh-seconds="30"' in page and "data-stats-url=" in page
    assert 'data-metric-value="persons"' in page and 'data-metric-value="ledger.red"' in page
    assert 'data-metric-value="satisfaction_rate" data-rate="1"' in page
    assert 'data-chart-size="wall"' in page
    # what the wall fetches answers every figure it shows, in the same scope
    stats = login(users.street_admin).get(wall.stats_url).json()["metrics"]
    shown = [c.figure.key for c in wall.cards] + [i["key"] for ch in wall.charts for i in ch.items]
    assert set(shown) <= set(stats)
    assert stats["persons"] == 1


def test_the_refresh_is_never_faster_than_ten_seconds(users: Any) -> None:
    with override_settings(WUSHE_SCREEN_REFRESH_SECONDS=1):
        from wushe.reports.screen import refresh_seconds

        assert refresh_seconds() == 10
