"""Every date bounded (issue 14 item 7): ``from=0001-01-01&to=9999-12-31`` answered 500 on the
dashboard, the screen, the drill-downs, the work report and ``GET /api/v1/stats``; year-1 dates
were stored for cases and activities."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from wushe.core.dates import ANY, BIRTH, EVENT, BoundedDateField, bounded_date

EXTREMES = [("0001-01-01", "9999-12-31"), ("0001-01-01", "0001-12-31"), ("9999-01-01", "9999-12-31")]


def test_ranges() -> None:
    assert ANY.contains(datetime.date(1900, 1, 1)) and ANY.contains(datetime.date(2100, 12, 31))
    assert not ANY.contains(datetime.date(1899, 12, 31)) and not ANY.contains(datetime.date(2101, 1, 1))
    assert not EVENT.contains(datetime.date(1948, 12, 31))
    assert not EVENT.contains(timezone.localdate() + datetime.timedelta(days=400))
    assert not BIRTH.contains(timezone.localdate() + datetime.timedelta(days=1))


def test_bounded_date_names_field_and_range() -> None:
    assert bounded_date("2024-02-29", field="from") == datetime.date(2024, 2, 29)
    assert bounded_date("", field="from") is None
    with pytest.raises(ValidationError) as exc:
        bounded_date("0001-01-01", field="from")
    assert "from" in exc.value.messages[0] and "1900-01-01" in exc.value.messages[0]
    assert "2100-12-31" in exc.value.messages[0] and "must be between" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        bounded_date("garbage", field="to")


def test_form_field_bounds_and_picker_attributes() -> None:
    field = BoundedDateField(label="走访日期", within=EVENT)
    with pytest.raises(ValidationError) as exc:
        field.clean("0001-01-01")
    assert "走访日期" in exc.value.messages[0] and "1949-01-01" in exc.value.messages[0]
    assert field.widget.attrs["min"] == "1949-01-01" and "max" not in field.widget.attrs
    assert BoundedDateField().widget.attrs == {"min": "1900-01-01", "max": "2100-12-31"}


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), EXTREMES)
@pytest.mark.parametrize("page", ["reports:dashboard", "reports:screen", "reports:work_report", "drill"])
def test_report_pages_refuse_extreme_periods(users: Any, page: str, start: str, end: str) -> None:
    url = reverse("reports:drill", args=["ledger.red"]) if page == "drill" else reverse(page)
    response = login(users.street_admin).get(url, {"from": start, "to": end})
    assert response.status_code in (200, 400), response.status_code
    assert "1900-01-01" in response.content.decode()


@pytest.mark.django_db
def test_report_downloads_refuse_extreme_periods(users: Any) -> None:
    client = login(users.street_admin)
    for url in (reverse("reports:work_report_docx"), reverse("reports:drill_export", args=["ledger.red"])):
        response = client.get(url, {"from": "0001-01-01", "to": "9999-12-31"})
        assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), EXTREMES)
def test_api_stats_refuses_extreme_periods(users: Any, start: str, end: str) -> None:
    response = login(users.street_admin).get(
        "/api/v1/stats", {"region": "371602003000", "from": start, "to": end}
    )
    assert response.status_code == 422
    assert "1900-01-01" in str(response.json())


@pytest.mark.django_db
def test_a_period_at_the_bounds_is_computed(users: Any) -> None:
    response = login(users.street_admin).get(
        "/api/v1/stats", {"region": "371602003000", "from": "1900-01-01", "to": "2100-12-31"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_api_refuses_a_year_one_activity_and_case(users: Any, person_a: Any, tree: Any) -> None:
    client = login(users.worker_a)
    activity = {
        "kind": "culture",
        "title": "x",
        "on": "0001-01-01",
        "place": "x",
        "region": tree.community_a.code,
    }
    response = client.post("/api/v1/activities", activity, content_type="application/json")
    assert response.status_code == 422 and "1949-01-01" in str(response.json())
    case = {"person": person_a.pk, "reason": "独居", "opened_on": "0001-01-01"}
    response = client.post("/api/v1/cases", case, content_type="application/json")
    assert response.status_code == 422 and "1949-01-01" in str(response.json())
    assert "opened_on" in str(response.json()["detail"])


@pytest.mark.django_db
def test_forms_refuse_a_year_one_case_naming_the_field(users: Any, person_a: Any) -> None:
    from wushe.casework.models import Case

    url = reverse("casework:case_create") + f"?person={person_a.pk}"
    response = login(users.worker_a).post(url, {"reason": "独居", "opened_on": "0001-01-01"})
    assert response.status_code == 200
    assert "接案日期" in response.content.decode() and "1949-01-01" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_visit_list_api_query_dates_are_bounded(users: Any) -> None:
    response = login(users.worker_a).get("/api/v1/visits", {"start": "0001-01-01"})
    assert response.status_code == 422 and "start" in str(response.json())


@pytest.mark.django_db
def test_commands_refuse_extreme_dates(tree: Any) -> None:
    with pytest.raises(CommandError, match="1900-01-01"):
        call_command("stats", "--region", tree.street.code, "--from", "0001-01-01")
