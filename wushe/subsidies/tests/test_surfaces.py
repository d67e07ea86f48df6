"""The pages, the API, the command, the figures, the worklist and the rules' configuration."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from tests.fixtures import login
from tests.support import api
from wushe.core.checks import today
from wushe.core.metrics import REGISTRY, Scope, compute, from_records
from wushe.core.models import AccessEvent
from wushe.subsidies import selectors, services
from wushe.subsidies.eligibility import add_months, month_start, person_eligibility
from wushe.subsidies.models import Application, Kind, Status

from .conftest import SINCE, disabled
from .test_done_when import approved

pytestmark = pytest.mark.django_db


def test_api_eligibility_applications_steps_and_roster(tree: Any, people: Any) -> None:
    person = disabled(tree.grid_a, dibao=True)
    r = api(people.staff).get(f"/api/v1/subsidies/persons/{person.pk}/eligibility?month={today():%Y-%m}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert [s["eligible"] for s in body["subsidies"]] == [True, True]
    assert {x["name"] for x in body["subsidies"][0]["reasons"]} >= {"hardship", "not_tekun"}
    assert (
        api(people.staff).get(f"/api/v1/subsidies/persons/{person.pk}/eligibility?month=2026-13").status_code
        == 422
    )
    assert api(people.worker_b).get(f"/api/v1/subsidies/persons/{person.pk}/eligibility").status_code == 404
    bad = api(people.staff).post(
        "/api/v1/subsidies/applications",
        {"person": person.pk, "kind": "living", "bank_name": "农行", "bank_account": "12ab"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "bank_account" in bad.content.decode()
    r = api(people.staff).post(
        "/api/v1/subsidies/applications",
        {"person": person.pk, "kind": "living", "bank_name": "农行", "bank_account": "6228480012345678901"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    app = r.json()
    assert app["bank_account"] == "6228***********8901" and "6228480012345678901" not in r.content.decode()
    url = f"/api/v1/subsidies/applications/{app['id']}/steps"
    assert api(people.cdpf).post(url, {"step": "cdpf"}, content_type="application/json").status_code == 422
    for user, step in ((people.street_admin, "town"), (people.cdpf, "cdpf"), (people.mca, "mca")):
        r = api(user).post(url, {"step": step, "note": "同意"}, content_type="application/json")
        assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved" and [s["step"] for s in r.json()["steps"]] == [
        "submit",
        "town",
        "cdpf",
        "mca",
    ]
    r = api(people.street_admin).get(
        f"/api/v1/subsidies/rosters?region={tree.street.code}&month={today():%Y-%m}"
    )
    assert r.status_code == 200 and r.json()["living"] == 1 and r.json()["state"] == "computed"
    r = api(people.street_admin).post(
        "/api/v1/subsidies/rosters",
        {"region": tree.street.code, "month": f"{today():%Y-%m}"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["state"] == "approved"
    again = api(people.street_admin).post(
        "/api/v1/subsidies/rosters",
        {"region": tree.street.code, "month": f"{today():%Y-%m}"},
        content_type="application/json",
    )
    assert again.status_code == 422 and "month" in again.content.decode()


def test_command_prints_the_summary(tree: Any, people: Any) -> None:
    for level in (1, 2):
        approved(disabled(tree.grid_a, level=level, dibao=True), Kind.NURSING, people)
    out = io.StringIO()
    call_command("subsidy_roster", region="市西街道", month=f"{today():%Y-%m}", json=True, stdout=out)
    assert json.loads(out.getvalue()) == {
        "living": 0,
        "nursing": 2,
        "amount": "250.00",
        "changes": {"new": 2, "stopped": 0, "changed": 0},
    }
    out = io.StringIO()
    call_command("subsidy_roster", region=tree.street.code, month=f"{today():%Y-%m}", stdout=out)
    assert "nursing 2" in out.getvalue()


def test_pages_roster_approval_export_and_figures(tree: Any, people: Any) -> None:
    person = disabled(tree.grid_a, dibao=True, name="甲补贴")
    a = approved(person, Kind.LIVING, people)
    page = login(people.staff).get(f"/registry/persons/{person.pk}/")
    assert page.status_code == 200 and "残疾人两项补贴" in page.content.decode()
    assert "低保家庭成员" in page.content.decode()
    detail = login(people.staff).get(f"/subsidies/applications/{a.pk}/").content.decode()
    assert "6228***********8901" in detail and "6228480012345678901" not in detail
    month = f"{today():%Y-%m}"
    roster = login(people.street_admin).get(f"/subsidies/roster/?region={tree.street.code}&month={month}")
    assert roster.status_code == 200 and "甲补贴" in roster.content.decode()
    assert (
        login(people.staff)
        .post("/subsidies/roster/approve/", {"region": tree.street.code, "month": month})
        .status_code
        == 404
    )
    assert (
        login(people.payer)
        .post("/subsidies/roster/approve/", {"region": tree.street.code, "month": month})
        .status_code
        == 403
    )
    assert selectors.rosters(user=people.street_admin).count() == 0  # the community's staff cannot approve
    login(people.street_admin).post(
        "/subsidies/roster/approve/", {"region": tree.street.code, "month": month}
    )
    assert selectors.rosters(user=people.street_admin).count() == 1
    assert (
        login(people.staff)
        .get(f"/subsidies/roster/bank.xlsx?region={tree.street.code}&month={month}")
        .status_code
        == 403
    )
    r = login(people.payer).get(f"/subsidies/roster/bank.xlsx?region={tree.street.code}&month={month}")
    assert r.status_code == 200
    data = b"".join(r.streaming_content)  # type: ignore[attr-defined]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    cells = [str(c) for row in sheet for c in row]
    assert "甲补贴" in cells and "6228480012345678901" in cells
    assert AccessEvent.objects.filter(kind="export", detail__export="subsidy_roster").exists()
    login(people.payer).post("/subsidies/roster/pay/", {"region": tree.street.code, "month": month})
    assert selectors.rosters(user=people.payer).get().status == "paid"
    scope = Scope(region=tree.street, start=month_start(today()), end=today())
    figures = compute(scope, ["subsidy.living", "subsidy.nursing", "subsidy.amount"])
    assert figures["subsidy.living"].value == 1 and figures["subsidy.amount"].value == Decimal("100.00")
    for key in ("subsidy.living", "subsidy.amount"):
        records = REGISTRY[key].records(scope)  # type: ignore[misc]
        assert from_records(key, records, scope) == figures[key].value
    assert compute(Scope(region=tree.other_street), ["subsidy.living"])["subsidy.living"].value == 0


def test_worklist_unclaimed_and_reviews(tree: Any, people: Any) -> None:
    waiting = disabled(tree.grid_a, dibao=True, name="未申请")
    paid = disabled(tree.grid_a, level=3, dibao=True, name="已申请")
    a = approved(paid, Kind.LIVING, people, on=add_months(month_start(today()), -13))
    # approved and last reviewed a year and a month ago
    Application.objects.filter(pk=a.pk).update(reviewed_on=add_months(month_start(today()), -13))
    found = selectors.unclaimed(user=people.street_admin, region=tree.street, month=today())
    assert sorted((u.person.name, u.eligibility.kind) for u in found) == [
        ("未申请", "living"),
        ("未申请", "nursing"),
    ]
    assert [d.application.pk for d in selectors.reviews_due(user=people.street_admin)] == [a.pk]
    page = login(people.street_admin).get(f"/subsidies/worklist/?region={tree.street.code}").content.decode()
    assert "未申请" in page
    services.application_review(acting_user=people.street_admin, application=a, passed=False, note="已不符合")
    a.refresh_from_db()
    assert a.status == Status.ENDED and a.ended_from == add_months(month_start(today()), 1)
    assert waiting.pk and selectors.reviews_due(user=people.street_admin) == []


def test_a_region_rule_widens_and_sets_amounts_and_higher_allowance(tree: Any, people: Any) -> None:
    low_income = disabled(tree.grid_a, level=4, category=5)
    from wushe.registry.household_tags import household_tags_set

    household_tags_set(acting_user=None, household=low_income.household, tags=["low-income"], on=SINCE)
    assert not person_eligibility(low_income, month=today())[0].eligible
    with pytest.raises(ValidationError) as e:
        services.rule_set(acting_user=None, region=tree.county, year=today().year, kind="living",
                          clauses={"x": "person.tags in ["}, amounts=[1, 1, 1, 1])  # fmt: skip
    assert "clauses" in str(e.value.message_dict)
    services.rule_set(
        acting_user=None, region=tree.county, year=today().year, kind="living",
        clauses={"hardship": '"dibao" in household.tags || "low-income" in household.tags'},
        labels={"hardship": "低保或低收入家庭"}, amounts=["120", "120", "110", "110"],
    )  # fmt: skip
    services.rule_set(
        acting_user=None, region=tree.street, year=today().year, kind="nursing",
        clauses={"level": "person.disability_level in [1, 2] || (person.disability_category in [5, 6] && person.disability_level in [3, 4])"},
        amounts=["200", "150", "80", "80"], alternatives={"duty-disability": "100"},
    )  # fmt: skip
    living, nursing = person_eligibility(low_income, month=today())
    assert (
        living.eligible
        and living.amount == Decimal("110.00")
        and living.reasons[0].label == "低保或低收入家庭"
    )
    assert nursing.eligible and nursing.amount == Decimal("80.00")
    duty = disabled(tree.grid_a, level=4, category=6, tags=("duty-disability",))
    nursing = person_eligibility(duty, month=today())[1]
    assert not nursing.eligible and nursing.failed()[-1].name == "higher"
    # the other street keeps the national default nursing rule
    other = disabled(tree.community_c, level=4, category=6)
    assert not person_eligibility(other, month=today())[1].eligible


def test_people_sharing_an_evaluation_differ_in_what_the_clauses_read(tree: Any) -> None:
    import datetime as dt

    from tests.factories import PersonFactory, next_id_number
    from wushe.subsidies.eligibility import eligibility_many

    services.rule_set(
        acting_user=None, region=tree.street, year=today().year, kind="living",
        clauses={"old": "person.age >= 60", "cert": "person.has_certificate"}, amounts=["50", "50", "50", "50"],
    )  # fmt: skip
    people_ = [
        PersonFactory(
            region=tree.grid_a, id_number=next_id_number(birth=birth), category=4, level=2, valid_from=SINCE
        )
        for birth in (dt.date(1950, 3, 1), dt.date(1990, 3, 1))
    ]
    found = eligibility_many(people_, month=today(), kinds=["living"])
    assert [found[(p.pk, "living")].eligible for p in people_] == [True, False]
