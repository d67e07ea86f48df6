"""When the dashboard shows figures counted ahead of time and when it counts them now
(``reports.services.dashboard_served``): only for users whose grants cover the region, only while
they are young enough, counted again by the worker once asked, per language, and rebuilt by
``manage.py figures_rebuild`` (the demo test holds the stored figures equal to the counted ones)."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.conftest import login
from tests.factories import PersonFactory
from wushe.reports.models import FigureSnapshot
from wushe.reports.periods import this_year
from wushe.reports.services import dashboard_served, figures_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(settings: Any) -> Any:
    settings.WUSHE_FIGURES_MAX_AGE = 300
    settings.WUSHE_FIGURES_MAX_STALE = 3600
    return settings


def _persons(served: Any) -> Any:
    return served.board.figures["persons"].value


def test_off_by_default_every_dashboard_is_counted_now(users: Any, tree: Any, settings: Any) -> None:
    settings.WUSHE_FIGURES_MAX_AGE = 0
    period = this_year(timezone.localdate())
    served = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    assert not served.stored and not FigureSnapshot.objects.exists()


def test_stored_figures_until_they_are_counted_again(
    stored: Any, users: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    period = this_year(timezone.localdate())
    PersonFactory(name="甲", region=tree.grid_a)
    first = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    assert not first.stored and _persons(first) == 1
    PersonFactory(name="乙", region=tree.grid_a)
    shown = dashboard_served(acting_user=users.leader, region=tree.street, period=period)
    assert shown.stored and _persons(shown) == 1  # as counted, for everyone covering the street
    snapshot = FigureSnapshot.objects.get()
    assert snapshot.refresh_requested_at is None  # young: nothing asked of the worker

    # older than the age: still shown, and the worker asked once to count again
    FigureSnapshot.objects.update(counted_at=timezone.now() - datetime.timedelta(seconds=301))
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            _persons(dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)) == 1
        )
        assert (
            _persons(dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)) == 1
        )
    queued = DBTaskResult.objects.filter(task_path="wushe.reports.tasks.refresh_figures")
    assert [r.args_kwargs["args"] for r in queued] == [[snapshot.pk]]  # asked once, not twice
    assert figures_refresh(snapshot.pk)
    again = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    assert again.stored and _persons(again) == 2
    assert FigureSnapshot.objects.get().refresh_requested_at is None

    # asked to count now
    PersonFactory(name="丙", region=tree.grid_a)
    fresh = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period, fresh=True)
    assert not fresh.stored and _persons(fresh) == 3
    assert _persons(dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)) == 3

    # too old (the worker does not keep up): counted while the page waits
    PersonFactory(name="丁", region=tree.grid_a)
    FigureSnapshot.objects.update(counted_at=timezone.now() - datetime.timedelta(seconds=3601))
    late = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    assert not late.stored and _persons(late) == 4


def test_a_user_not_covering_the_region_gets_their_own_count(stored: Any, users: Any, tree: Any) -> None:
    """A social worker of 甲社区 looking at the street: their scope is not the operator's."""
    period = this_year(timezone.localdate())
    PersonFactory(name="甲", region=tree.grid_a)
    PersonFactory(name="乙", region=tree.grid_b)
    dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    assert FigureSnapshot.objects.count() == 1
    own = dashboard_served(acting_user=users.worker_a, region=tree.street, period=period)
    assert not own.stored and _persons(own) == 1 and FigureSnapshot.objects.count() == 1
    community = dashboard_served(acting_user=users.worker_a, region=tree.community_a, period=period)
    assert not community.stored and _persons(community) == 1  # covered: counted and stored
    assert dashboard_served(acting_user=users.worker_a, region=tree.community_a, period=period).stored


def test_each_language_has_its_labels(stored: Any, users: Any, tree: Any) -> None:
    period = this_year(timezone.localdate())
    with translation.override("zh-hans"):
        zh = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    with translation.override("en"):
        en = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
        assert not en.stored and en.board.figures["persons"].label != zh.board.figures["persons"].label
        assert dashboard_served(acting_user=users.street_admin, region=tree.street, period=period).stored
    assert FigureSnapshot.objects.count() == 2


def test_the_page_says_when_the_figures_were_counted(stored: Any, users: Any, tree: Any) -> None:
    client = login(users.street_admin)
    url = reverse("reports:dashboard")
    first = client.get(url, {"region": tree.street.code}).content.decode()
    assert 'data-testid="figures-counted-at"' in first and "fresh=1" not in first
    second = client.get(url, {"region": tree.street.code}).content.decode()
    assert "fresh=1" in second  # stored: it offers to count again now
    assert client.get(url, {"region": tree.street.code, "fresh": "1"}).status_code == 200
    assert client.get(reverse("reports:screen"), {"region": tree.street.code}).status_code == 200


def test_rebuild_counts_todays_again_and_deletes_earlier_days(stored: Any, users: Any, tree: Any) -> None:
    period = this_year(timezone.localdate())
    dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    dashboard_served(acting_user=users.admin, region=tree.other_street, period=period)
    old = FigureSnapshot.objects.get(region=tree.other_street)
    FigureSnapshot.objects.filter(pk=old.pk).update(as_of=timezone.localdate() - datetime.timedelta(days=1))
    assert not figures_refresh(old.pk)  # an earlier day's is never counted again
    PersonFactory(name="甲", region=tree.grid_a)
    out = StringIO()
    call_command("figures_rebuild", "--region", tree.community_a.code, stdout=out)
    assert "重新计算 1 个看板，删除 1 个" in out.getvalue()
    assert FigureSnapshot.objects.get().region == tree.street  # the street is above 甲社区
    assert _persons(dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)) == 1
    with pytest.raises(CommandError):
        call_command("figures_rebuild", "--region", "没有这个区域")


def test_a_dashboard_counted_on_a_new_day_replaces_the_earlier_days(
    stored: Any, users: Any, tree: Any
) -> None:
    period = this_year(timezone.localdate())
    dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    FigureSnapshot.objects.update(as_of=timezone.localdate() - datetime.timedelta(days=1))
    PersonFactory(name="甲", region=tree.grid_a)
    today = dashboard_served(acting_user=users.street_admin, region=tree.street, period=period)
    assert not today.stored and _persons(today) == 1  # yesterday's is not shown today
    assert list(FigureSnapshot.objects.values_list("as_of", flat=True)) == [timezone.localdate()]
