"""The figures counted ahead of time (``reports.services``) on the demo streets: every stored
figure — the period's, the comparisons', the trends' months — is the figure counted from the
records, for every metric, both streets and several periods; and after records are written, the
stored figures counted again are the new counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wushe.accounts.models import User
from wushe.core.metrics import FAMILIES, REGISTRY
from wushe.core.models import Region
from wushe.reports.dashboard import count, dashboard_for
from wushe.reports.models import FigureSnapshot
from wushe.reports.periods import Period, this_year
from wushe.reports.services import dashboard_served, figures_refresh

pytestmark = [pytest.mark.demo, pytest.mark.xdist_group("demo")]  # seeded once: conftest.py

ADMINS = {"市西街道": "shixi", "云门山街道": "yunmenshan"}


def _periods() -> list[Period]:
    today = timezone.localdate()
    first = today.replace(day=1)
    last_month_end = first - datetime.timedelta(days=1)
    return [
        this_year(today),  # the default, with twelve months of trends
        Period(datetime.date(2026, 10, 1), datetime.date(2026, 11, 30)),  # the articles' months
        Period(last_month_end.replace(day=1), last_month_end),  # last month
        Period(today - datetime.timedelta(days=6), today),  # a week, not month-aligned
    ]


# this year (the default period, with twelve months of trends) in the fast tier; the other periods
# in the slow tier (make test-slow, CI)
PERIODS = [pytest.param(i, marks=() if i == 0 else pytest.mark.slow) for i in range(4)]


@pytest.mark.parametrize("street", sorted(ADMINS))
@pytest.mark.parametrize("which", PERIODS)
def test_every_stored_figure_is_the_figure_counted_from_the_records(
    demo: str, street: str, which: int, settings: Any
) -> None:
    settings.WUSHE_FIGURES_MAX_AGE = 300
    region = Region.objects.get(name=street, level="street")
    admin = User.objects.get(username=ADMINS[street])
    for period in _periods()[which : which + 1]:
        first = dashboard_served(acting_user=admin, region=region, period=period)
        assert not first.stored  # counted now, and stored
        again = dashboard_served(acting_user=admin, region=region, period=period)
        assert again.stored and again.counted_at == first.counted_at
        live = count(user=admin, region=region, period=period)
        stored = again.board
        # every metric of the registry and every family member the records give
        assert set(REGISTRY) <= set(stored.figures)
        assert set(stored.figures) == set(live.figures)
        assert any(k.startswith(tuple(FAMILIES)) for k in stored.figures)
        for key, figure in live.figures.items():
            assert stored.figures[key] == figure, (street, period, key)
            assert stored.figures[key].display == figure.display
        with_data = [k for k, f in live.figures.items() if f.has_data]
        assert len(with_data) > 20, "the demo's figures are not all zero"
        # the cards' comparisons, the charts and the month-by-month trends as well: the whole board
        assert stored == dashboard_for(user=admin, region=region, period=period), (street, period)


def test_records_written_after_the_count_are_in_the_figures_counted_again(demo: str, settings: Any) -> None:
    from wushe.registry.models import Household
    from wushe.visits.services import VisitInput, visit_record

    settings.WUSHE_FIGURES_MAX_AGE = 300
    region = Region.objects.get(name="云门山街道", level="street")
    admin = User.objects.get(username="yunmenshan")
    period = this_year(timezone.localdate())
    before = dashboard_served(acting_user=admin, region=region, period=period).board.figures["visits"].value
    household = Household.objects.filter(region__path__startswith=region.path, active_members__gt=0).first()
    assert household is not None
    visit_record(acting_user=None, data=VisitInput(visited_on=timezone.localdate(), household=household))
    shown = dashboard_served(acting_user=admin, region=region, period=period)
    assert shown.stored and shown.board.figures["visits"].value == before  # stored: as counted
    snapshot = FigureSnapshot.objects.get(region=region, start=period.start, end=period.end)
    assert figures_refresh(snapshot.pk)
    refreshed = dashboard_served(acting_user=admin, region=region, period=period)
    assert refreshed.stored and refreshed.board.figures["visits"].value == before + 1  # type: ignore[operator]
    assert refreshed.board == dashboard_for(user=admin, region=region, period=period)
    page = Client()
    page.force_login(admin)
    body = page.get(reverse("reports:dashboard"), {"region": region.code}).content.decode()
    assert 'data-testid="figures-counted-at"' in body and "fresh=1" in body
