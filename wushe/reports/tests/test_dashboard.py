"""The dashboard, the large screen and the drill-down pages."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import PersonFactory
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.reports.periods import Period, quick_choices, this_quarter

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
SCREEN = reverse("reports:screen")
TODAY = timezone.localdate()


def drill(key: str) -> str:
    return reverse("reports:drill", args=[key])


def spec(response: Any, element_id: str) -> dict[str, Any]:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', response.content.decode()
    )
    assert match, element_id
    return json.loads(match.group(1))


def cards(response: Any) -> dict[str, Any]:
    return {c.figure.key: c for c in response.context["board"].cards}


def test_periods() -> None:
    p = Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert p.previous() == Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))  # 上季度
    assert p.last_year() == Period(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    # calendar periods compare with the same days of the month, quarter or year before
    day = datetime.date
    assert Period(day(2026, 12, 1), day(2026, 12, 2)).previous() == Period(day(2026, 11, 1), day(2026, 11, 2))
    assert Period(day(2026, 3, 1), day(2026, 3, 31)).previous() == Period(day(2026, 2, 1), day(2026, 2, 28))
    assert Period(day(2026, 1, 1), day(2026, 3, 31)).previous() == Period(day(2025, 10, 1), day(2025, 12, 31))
    assert Period(day(2026, 7, 1), day(2026, 8, 20)).previous() == Period(day(2026, 4, 1), day(2026, 5, 20))
    this_year_so_far = Period(day(2026, 1, 1), day(2026, 12, 2))
    assert (
        this_year_so_far.previous()
        == this_year_so_far.last_year()
        == Period(day(2025, 1, 1), day(2025, 12, 2))
    )
    # any other period: the same number of days just before
    assert Period(day(2026, 3, 5), day(2026, 3, 20)).previous() == Period(day(2026, 2, 17), day(2026, 3, 4))
    assert Period(day(2026, 1, 1), day(2027, 6, 30)).previous().end == day(2025, 12, 31)
    leap = Period(datetime.date(2028, 2, 29), datetime.date(2028, 2, 29))
    assert leap.last_year().start == datetime.date(2027, 2, 28)
    assert [
        m.start.month for m in Period(datetime.date(2026, 1, 15), datetime.date(2026, 3, 2)).months()
    ] == [1, 2, 3]
    assert this_quarter(datetime.date(2026, 8, 20)).start == datetime.date(2026, 7, 1)
    assert [p.start for _l, p in quick_choices(datetime.date(2026, 8, 20))] == [
        datetime.date(2026, 8, 1),
        datetime.date(2026, 7, 1),
        datetime.date(2026, 1, 1),
    ]


def test_dashboard_for_the_street_admin(users: Any, person_a: Any, person_b: Any) -> None:
    response = login(users.street_admin).get(DASHBOARD)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.region.code == "371602003000"
    assert board.period == Period(TODAY.replace(month=1, day=1), TODAY)  # default: this year
    got = cards(response)
    assert got["persons"].figure.value == 2 and got["persons"].url.startswith(drill("persons"))
    assert got["persons"].comparisons == []  # a head count of today has nothing to compare
    new = got["persons.new"]
    assert new.figure.value == 2
    # this year so far: its previous period is the same period last year, compared once
    assert [c.label for c in new.comparisons] == ["去年同期"]
    assert [c.direction for c in new.comparisons] == ["up"]
    assert "增加2人" in new.comparisons[0].text
    ledger = spec(response, "chart-ledger")
    assert ledger["kind"] == "pie"
    assert [(i["colour"], i["value"]) for i in ledger["items"]] == [
        ("red", 1),
        ("blue", 1),
        ("green", 0),
        ("yellow", 0),
    ]
    red = ledger["items"][0]
    assert red["url"].startswith(drill("ledger.red") + "?region=371602003000&from=")
    trend = spec(response, "trend-persons-new")
    assert trend["kind"] == "line" and trend["items"][-1]["value"] == 2
    page = response.content.decode()
    assert "李四" not in page  # figures only, no names
    # every chart has a table of the same numbers with links
    assert page.count("<details") >= len(board.charts) + len(board.trends)
    assert f'href="{reverse("reports:screen")}?region=371602003000' in page
    assert f'name="from" value="{TODAY.replace(month=1, day=1).isoformat()}"' in page  # the default shown
    assert "与去年同期（" in page and "与上期（" not in page


def test_a_quarter_compares_with_the_quarter_before_and_the_same_quarter_last_year(
    users: Any, person_a: Any
) -> None:
    response = login(users.street_admin).get(DASHBOARD, {"from": "2026-04-01", "to": "2026-06-30"})
    board = response.context["board"]
    assert board.previous == Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert board.last_year == Period(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert [c.label for c in cards(response)["persons.new"].comparisons] == ["上期", "去年同期"]
    assert "与上期（2026年1月1日至2026年3月31日）和去年同期（" in response.content.decode()


def test_region_selector_goes_down_to_the_grids_in_scope(users: Any, person_a: Any) -> None:
    response = login(users.street_admin).get(DASHBOARD)
    codes = [c for c, _label in response.context["form"].fields["region"].choices]
    assert "371602003001001" in codes and "371602003002" in codes
    assert "371602001001" not in codes  # another street
    grid = login(users.street_admin).get(DASHBOARD, {"region": "371602003001001"})
    assert cards(grid)["persons"].figure.value == 1


def test_the_community_worker_sees_only_the_community(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.worker_a)
    response = client.get(DASHBOARD)
    assert response.context["board"].region.code == "371602003001"
    assert cards(response)["persons"].figure.value == 1
    codes = [c for c, _label in response.context["form"].fields["region"].choices]
    assert "371602003002" not in codes
    assert client.get(DASHBOARD, {"region": "371602003002"}).status_code == 404
    assert client.get(drill("persons"), {"region": "371602003002"}).status_code == 404
    assert client.get(SCREEN, {"region": "371602003000"}).status_code == 404


def test_bad_period_names_the_field(users: Any) -> None:
    client = login(users.street_admin)
    response = client.get(DASHBOARD, {"from": "2026-13-01"})
    assert response.status_code == 400
    assert "起始日期" in response.content.decode()
    reversed_ = client.get(DASHBOARD, {"from": "2026-05-01", "to": "2026-04-01"})
    assert reversed_.status_code == 400
    assert "起始日期不能晚于终止日期" in reversed_.content.decode()
    assert client.get(drill("persons"), {"to": "tomorrow"}).status_code == 400


def test_drill_down_lists_exactly_the_records_counted(users: Any, person_a: Any, person_b: Any) -> None:
    PersonFactory(name="彭某", region=tree_other(person_a), category=6)
    client = login(users.street_admin)
    response = client.get(drill("ledger.red"), {"region": "371602003000"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == response.context["figure"].value == 1
    page = response.content.decode()
    assert "祝长连" in page and "李四" not in page and "彭某" not in page
    assert person_a.id_masked in page and person_a.id_number not in page
    assert "红色" in page  # the colour in words
    persons = client.get(drill("persons"), {"region": "371602003000"})
    assert persons.context["page_obj"].paginator.count == 2
    assert person_a.phone not in persons.content.decode()
    assert person_a.phone_masked in persons.content.decode()


def tree_other(person: Any) -> Any:
    from wushe.core.models import Region

    return Region.objects.get(code="371602001001")


def test_drill_down_follows_the_period(users: Any, person_a: Any) -> None:
    client = login(users.street_admin)
    last_year = {"from": f"{TODAY.year - 1}-01-01", "to": f"{TODAY.year - 1}-12-31"}
    assert client.get(drill("persons.new"), last_year).context["page_obj"].paginator.count == 0
    assert client.get(drill("persons.new")).context["page_obj"].paginator.count == 1
    assert client.get(drill("disabled"), last_year).context["page_obj"].paginator.count == 0


def test_drill_down_of_unknown_or_recordless_metrics_is_404(users: Any) -> None:
    client = login(users.street_admin)
    assert client.get(drill("no.such")).status_code == 404
    assert client.get(drill("tag.no-such-tag")).status_code == 404


def test_drill_down_paginates(users: Any, tree: Any, settings: Any) -> None:
    settings.WUSHE_PAGE_SIZE = 2
    for _ in range(5):
        PersonFactory(region=tree.grid_a)
    client = login(users.street_admin)
    first = client.get(drill("persons"))
    assert len(first.context["rows"]) == 2 and first.context["page_obj"].paginator.num_pages == 3
    last = client.get(drill("persons"), {"page": 3})
    assert len(last.context["rows"]) == 1


def test_drill_export_is_masked_and_audited(users: Any, person_a: Any) -> None:
    from io import BytesIO

    from python_calamine import CalamineWorkbook

    client = login(users.street_admin)
    response = client.get(reverse("reports:drill_export", args=["persons"]), {"region": "371602003000"})
    assert response.status_code == 200
    body = response.getvalue()
    rows = CalamineWorkbook.from_filelike(BytesIO(body)).get_sheet_by_index(0).to_python()
    flat = [str(c) for r in rows for c in r]
    assert "祝长连" in flat and person_a.id_masked in flat and person_a.id_number not in flat
    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.detail["export"] == "drill:persons" and event.detail["rows"] == 1
    assert not event.detail["revealed"]


def test_screen_mode(users: Any, person_a: Any) -> None:
    response = login(users.street_admin).get(SCREEN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="screen-mode"' in page and "数据大屏" in page
    assert 'data-chart-theme="dark"' in page


def test_pages_have_no_inline_code(users: Any, person_a: Any) -> None:
    client = login(users.street_admin)
    for url in (DASHBOARD, SCREEN, drill("persons"), reverse("reports:work_report")):
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+\s*=", page), url
        assert not re.search(r"\sstyle\s*=", page), url


def test_user_without_grants(users: Any) -> None:
    """The figures are the region roles' (reports.read_figures): without one, no dashboard."""
    client = login(users.nobody)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(drill("persons")).status_code == 403


def test_dashboard_in_english(users: Any, person_a: Any) -> None:
    client = login(users.street_admin)
    client.post(reverse("set_language"), {"language": "en", "next": DASHBOARD})
    page = client.get(DASHBOARD).content.decode()
    assert "Dashboard" in page and "Compared with the same period last year" in page
    quarter = client.get(DASHBOARD, {"from": "2026-04-01", "to": "2026-06-30"}).content.decode()
    assert "Previous period" in quarter and "Compared with the previous period" in quarter


def test_grouped_trend_equals_the_metric_month_by_month(users: Any, person_a: Any, person_b: Any) -> None:
    from wushe.core.metrics import Scope, compute
    from wushe.reports.dashboard import _monthly

    period = Period(TODAY.replace(month=1, day=1), TODAY)
    scope = Scope(region=person_a.region.parent.parent, user=users.street_admin)
    months = period.months()
    grouped, counted = _monthly(scope, months, ["persons.new", "disabled.new"])
    for key in ("persons.new", "disabled.new"):
        one_by_one = [compute(scope.shifted(m.start, m.end), [key])[key].value for m in months]
        assert [f.value if f else None for f in grouped[key]] == one_by_one
    last = grouped["persons.new"][-1]
    assert last is not None and last.value == 2
    assert counted == {"persons.new", "disabled.new"}  # counts of records by date: they add up


def test_a_trend_figure_is_the_sum_of_its_months_only_when_they_cover_the_period(
    users: Any, tree: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard takes a trend's figure from its months instead of counting the period again;
    every figure still equals the registry's own computation, for a period its months cover and
    for one longer than the trend's 24 months (then counted over the whole period)."""
    from wushe.core.metrics import REGISTRY, Scope, compute
    from wushe.registry.models import Person
    from wushe.reports.dashboard import dashboard_for

    for months_ago in (0, 1, 5, 13, 30):
        person = PersonFactory(region=tree.grid_a, category=(months_ago % 7) + 1)
        day = TODAY - datetime.timedelta(days=31 * months_ago)
        Person.objects.filter(pk=person.pk).update(registered_on=day)
    trend = [k for k, m in REGISTRY.items() if m.trend]
    assert "persons.new" in trend
    # the periods 新登记居民's own function is asked to count
    counted: list[tuple[Any, Any]] = []
    original = REGISTRY["persons.new"]

    def counting(scope: Scope) -> Any:
        counted.append((scope.start, scope.end))
        return original.compute(scope)

    monkeypatch.setitem(REGISTRY, "persons.new", dataclasses.replace(original, compute=counting))
    for start in (
        TODAY.replace(month=1, day=1),
        TODAY - datetime.timedelta(days=400),
        TODAY.replace(year=TODAY.year - 3),
    ):
        period = Period(start, TODAY)
        counted.clear()
        board = dashboard_for(user=users.street_admin, region=tree.street, period=period)
        covered = len(period.months(limit=10**6)) <= 24
        # counted again over the whole period only when its months do not cover it
        assert ((start, TODAY) in counted) == (not covered), (start, counted)
        alone = compute(Scope(region=tree.street, user=users.street_admin, start=start, end=TODAY))
        assert {k: f.value for k, f in board.figures.items()} == {k: f.value for k, f in alone.items()}
        expected = Person.objects.filter(registered_on__gte=start).count()
        assert board.figures["persons.new"].value == expected, start
        shown = sum(i["value"] for c in board.trends if c.key == "persons.new" for i in c.items)
        # the chart shows the last 24 months: all of a period it covers, less of a longer one
        assert (shown == expected) == covered, start


@pytest.mark.parametrize("key", ["persons", "ledger.red", "households", "tag.dibao"])
def test_drill_down_queries_do_not_grow_with_the_page(users: Any, tree: Any, key: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wushe.registry.services import household_create

    client = login(users.street_admin)

    def add(n: int) -> None:
        for _ in range(n):
            household_create(
                acting_user=None, head=PersonFactory(region=tree.grid_a, category=6, tags=["dibao"])
            )

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(drill(key)).status_code == 200
    add(8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(drill(key)).status_code == 200
    assert len(many) == len(few), key


def test_dashboard_queries_do_not_grow_with_the_records(users: Any, tree: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users.street_admin)
    PersonFactory(region=tree.grid_a, category=6, tags=["dibao"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(DASHBOARD).status_code == 200
    for i in range(6):
        PersonFactory(region=tree.grid_b if i % 2 else tree.grid_a, category=1 + i, tags=["tekun"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(DASHBOARD).status_code == 200
    assert len(many) == len(few)
