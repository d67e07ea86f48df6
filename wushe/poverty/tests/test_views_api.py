"""The poverty pages and API: a check through the form and the API, the household section, a lead's
steps, warnings, the booklet and card as PDF (Chinese text), a community's batch as a background
task, and the figures with their drill-down."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from typing import Any

import pytest

from tests.factories import certificate_for
from tests.fixtures import login
from wushe.core.checks import today
from wushe.core.metrics import Scope, compute, records_for
from wushe.poverty import services
from wushe.poverty.models import BatchStatus, BookletBatch, HouseholdCheck, Item, RiskWarning, Stage
from wushe.registry.services import certificate_set

from ..services import ItemInput

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF's text")
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603, S607
    return out.stdout.decode()


def test_check_form_records_a_failed_item_as_a_need(pw: Any, users: Any) -> None:
    client = login(users.worker_a)
    url = f"/poverty/checks/new/?household={pw.household.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "住房安全保障未达标" in page.content.decode()
    response = client.post(
        "/poverty/checks/new/",
        {
            "household": pw.household.pk,
            "checked_on": today().isoformat(),
            "members": 2,
            "income": "20000",
            "housing_failed": "on",
            "housing_finding": "屋顶漏雨",
            "housing_grade": "C",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    check = HouseholdCheck.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "屋顶漏雨" in detail and "甲社区第一网格网格社工" in detail
    household = client.get(f"/registry/households/{pw.household.pk}/").content.decode()
    assert "两不愁三保障核查与防返贫监测" in household and f"/poverty/checks/{check.pk}/" in household
    assert (
        client.post("/poverty/checks/new/", {"household": pw.household.pk, "income": "x"}).status_code == 200
    )
    assert login(users.worker_b).get(url).status_code == 404


def test_api_check_and_422_naming_the_field(pw: Any, users: Any) -> None:
    client = login(users.worker_a)
    body = {
        "household": pw.household.pk,
        "income": "9000.00",
        "members": 2,
        "items": {"housing": {"passed": False, "finding": "危房"}, "water_quality": {"passed": True}},
    }
    r = client.post("/api/v1/household-checks", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    failed = {i["item"]: i for i in out["items"] if not i["passed"]}
    assert set(failed) == {"housing", "income"} and failed["housing"]["need"]
    assert out["income_per_person"] == "4500.00"
    bad = client.post(
        "/api/v1/household-checks",
        json.dumps({**body, "dibao_outcome": "removed"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "dibao_reason" in bad.content.decode()
    listed = client.get(f"/api/v1/household-checks?household={pw.household.pk}").json()
    assert [c["id"] for c in listed["items"]] == [out["id"]]
    assert login(users.worker_b).get(f"/api/v1/household-checks/{out['id']}").status_code == 404


def test_api_lead_through_five_steps(pw: Any, users: Any) -> None:
    client = login(users.worker_a)
    start = today() - 10 * DAY

    def post(url: str, body: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json")

    r = post(
        "/api/v1/monitoring/leads",
        {"household": pw.household.pk, "source": "declared", "kind": "sudden", "risk_type": "accident",
         "reason": "车祸致伤", "raised_on": start.isoformat()},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    lead = r.json()
    assert lead["deadline"] == (start + 15 * DAY).isoformat()
    url = f"/api/v1/monitoring/leads/{lead['id']}/steps"
    assert post(url, {"step": "review"}).status_code == 422
    for body in [
        {"step": "verify", "done_on": start.isoformat()},
        {"step": "review", "done_on": start.isoformat()},
        {"step": "notice", "done_on": (start + 5 * DAY).isoformat(), "notice_from": (start + DAY).isoformat(),
         "notice_to": (start + 5 * DAY).isoformat()},
        {"step": "township", "done_on": (start + 6 * DAY).isoformat()},
        {"step": "county", "done_on": (start + 7 * DAY).isoformat()},
    ]:  # fmt: skip
        r = post(url, body)
        assert r.status_code == 200, r.content
    assert r.json()["stage"] == "done" and len(r.json()["steps"]) == 5
    objects = client.get("/api/v1/monitoring/objects").json()["items"]
    assert [(o["kind"], o["risk_type"]) for o in objects] == [("sudden", "accident")]
    m = post(
        f"/api/v1/monitoring/objects/{objects[0]['id']}/measures",
        {"kind": "health", "description": "医疗救助", "cadre": "刘干部"},
    )
    assert m.status_code == 201 and m.json()["measures"][0]["cadre"] == "刘干部"


def test_lead_pages_list_the_overdue(pw: Any, users: Any) -> None:
    lead = services.lead_create(
        acting_user=users.worker_a, household=pw.household, source="screening", kind="edge", risk_type="illness",
        reason="慢病支出大", raised_on=today() - 20 * DAY,
    )  # fmt: skip
    client = login(users.worker_a)
    overdue = client.get("/poverty/leads/?overdue=on").content.decode()
    assert f"/poverty/leads/{lead.pk}/" in overdue and "超期" in overdue
    r = client.post(
        f"/poverty/leads/{lead.pk}/step/", {"step": "verify", "approved": "1", "done_on": today().isoformat()}
    )
    assert r.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == Stage.REVIEW
    assert "入户核实" in client.get(f"/poverty/leads/{lead.pk}/").content.decode()
    api = client.get("/api/v1/monitoring/leads?overdue=true").json()["items"]
    assert [x["id"] for x in api] == [lead.pk] and api[0]["overdue"]


def test_warning_page_confirm_and_run_on_demand(pw: Any, users: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    certificate_set(
        acting_user=None, person=pw.spouse, number=certificate_for(pw.spouse.id_number, 1, 1), on=today()
    )
    client = login(users.worker_a)
    assert client.post("/poverty/warnings/run/").status_code == 302
    warning = RiskWarning.objects.get()
    # the API runs the same task (each record still warns once)
    run = client.post("/api/v1/monitoring/warnings/run", "{}", content_type="application/json")
    assert run.status_code == 200 and run.json()["task"]
    assert RiskWarning.objects.get() == warning
    page = client.get("/poverty/warnings/").content.decode()
    assert warning.reason in page and "视力" in warning.reason
    r = client.post(
        f"/poverty/warnings/{warning.pk}/confirm/", {"kind": "unstable", "risk_type": "disability"}
    )
    assert r.status_code == 302 and "/poverty/leads/" in r["Location"]
    assert (
        login(users.worker_b).post(f"/poverty/warnings/{warning.pk}/dismiss/", {"note": "x"}).status_code
        == 404
    )


def test_booklet_and_card_print_as_pdf_with_chinese_text(pw: Any, users: Any) -> None:
    services.household_check_record(
        acting_user=users.worker_a, household=pw.household, income="8000", members=2,
        items={Item.HOUSING: ItemInput(False, "屋顶漏雨")},
    )  # fmt: skip
    client = login(users.worker_a)
    html = client.get(f"/poverty/households/{pw.household.pk}/booklet/").content.decode()
    assert "一户一册" in html and "屋顶漏雨" in html and pw.spouse.id_masked in html
    assert pw.spouse.id_number not in html
    r = client.get(f"/api/v1/households/{pw.household.pk}/booklet.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = _pdf_text(r.content)
    assert "一户一册" in text and "王大山" in text and "住房安全保障" in text
    assert pw.spouse.id_number not in text
    card = client.get(f"/poverty/households/{pw.household.pk}/card/?format=pdf")
    text = _pdf_text(card.content)
    assert "一户一卡" in text and "甲社区第一网格网格社工" in text
    assert login(users.worker_b).get(f"/api/v1/households/{pw.household.pk}/booklet.pdf").status_code == 404


def test_a_communitys_batch_runs_as_a_background_task(
    pw: Any, users: Any, tree: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = login(users.worker_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post("/poverty/booklets/", {"region": tree.community_a.pk})
    assert r.status_code == 302
    batch = BookletBatch.objects.get()
    assert batch.status == BatchStatus.WAITING  # nothing is made inside the request
    assert len(callbacks) == 1
    callbacks[0]()  # the commit enqueues the task (run at once by the immediate backend)
    batch.refresh_from_db()
    assert batch.task_id
    assert batch.status == BatchStatus.DONE and batch.total == 1 and batch.done == 1
    assert "100%" in client.get(f"/poverty/booklets/{batch.pk}/").content.decode()
    pdf = client.get(f"/poverty/booklets/{batch.pk}/booklets.pdf")
    assert pdf.status_code == 200 and "王大山" in _pdf_text(pdf.content)
    assert login(users.worker_b).get(f"/poverty/booklets/{batch.pk}/booklets.pdf").status_code == 404
    other = client.post("/poverty/booklets/", {"region": tree.community_b.pk})
    assert other.status_code == 200  # not a choice 甲社区's worker is offered


def test_figures_come_from_the_records(pw: Any, users: Any, tree: Any) -> None:
    services.household_check_record(
        acting_user=users.worker_a, household=pw.household, income="20000", members=2,
        items={Item.HOUSING: False, Item.WATER_QUALITY: False},
    )  # fmt: skip
    services.household_check_record(
        acting_user=users.worker_b, household=pw.other, income="20000", members=1, items={}
    )
    services.household_check_record(
        acting_user=users.worker_a,
        household=pw.household,
        income="20000",
        members=2,
        items={Item.HOUSING: False},
    )
    lead = services.lead_create(
        acting_user=users.worker_a, household=pw.household, source="declared", kind="edge", risk_type="illness",
        reason="病", raised_on=today() - 30 * DAY,
    )  # fmt: skip
    start = today().replace(month=1, day=1)
    scope = Scope(region=tree.street, user=users.street_admin, start=start, end=today())
    figures = compute(scope)
    assert figures["poverty.checked"].value == 2
    assert figures["poverty.failed_items.housing"].value == 2
    assert figures["poverty.failed_items.water_quality"].value == 1
    assert figures["monitoring.overdue"].value == 1
    assert figures["monitoring.objects"].value == 0
    overdue = records_for("monitoring.overdue", scope)
    housing = records_for("poverty.failed_items.housing", scope)
    assert overdue is not None and housing is not None
    assert list(overdue) == [lead] and housing.count() == 2
    mine = Scope(region=tree.community_b, user=users.worker_b, start=start, end=today())
    assert compute(mine)["poverty.checked"].value == 1
    client = login(users.street_admin)
    drill = client.get("/reports/drill/poverty.failed_items.housing/", {"region": tree.street.code})
    assert drill.status_code == 200 and "住房安全保障" in drill.content.decode()
