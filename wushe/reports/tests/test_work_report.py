"""The work report (工作总结): sentences from the metrics, left out without data, .docx read back."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from wushe.core import metrics as m
from wushe.core.metrics import Scope, rate
from wushe.reports.docx import write_docx
from wushe.reports.narrative import SECTIONS, Group, Item, work_report
from wushe.reports.periods import Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = Period(TODAY.replace(month=1, day=1), TODAY)

# the keys the outreach, services and volunteer apps will register
COMING = [
    "visits", "households_visited", "leaflets", "policies_explained", "needs", "needs.met", "needs.overdue",
    "problems.found", "problems.resolved", "problems.resolution_rate", "satisfaction_rate", "resources",
    "projects", "organizations.professional", "organizations.community", "cases", "groups", "activities",
    "studios", "studio_projects", "appeals", "volunteers", "volunteer_teams", "volunteer_hours",
    "social_workers", "services", "difficulties_solved",
]  # fmt: skip


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def test_every_coming_key_has_a_template() -> None:
    keys = {
        i.key for s in SECTIONS for sentence in s.sentences for i in sentence.items if isinstance(i, Item)
    }
    assert set(COMING) <= keys
    groups = {
        i.prefix for s in SECTIONS for sentence in s.sentences for i in sentence.items if isinstance(i, Group)
    }
    assert {"needs.category", "needs.status", "tag"} <= groups


def test_the_report_states_the_ledger_and_leaves_out_what_has_no_data(
    tree: Any, person_a: Any, person_b: Any
) -> None:
    report = work_report(region=tree.street, period=YEAR)
    text = report.text
    assert report.title == "市西街道工作总结"
    assert "市西街道辖区共有社区2个、网格2个、在册居民2人。" in text  # households: none, left out
    assert "精准摸排智力精神障碍类1人、肢体残疾类1人，建立“四色台账”" in text  # green, yellow: zero, left out
    assert "0人" not in text and "0个" not in text
    assert "视力听力言语障碍类" not in text
    assert "入户走访" not in text  # no visits metric registered: its sentence is left out
    assert {"ledger.red", "ledger.blue", "persons", "communities"} <= set(report.stated)


@pytest.fixture
def coming_metrics() -> Any:
    """Stand-ins for the figures the other apps will register (a value for each key)."""
    saved, saved_families = dict(m.REGISTRY), dict(m.FAMILIES)
    values: dict[str, Any] = {key: 10 + i for i, key in enumerate(COMING)}
    values["visits"] = 6320
    values["leaflets"] = 53900
    values["problems.found"], values["problems.resolved"] = 390, 385
    values["problems.resolution_rate"] = rate(385, 390)
    values["satisfaction_rate"] = Decimal("99.5")
    values["appeals"] = 0  # no data: left out
    for key in list(values) + ["needs.category.rehab", "needs.category.meal"]:
        m.REGISTRY.pop(key, None)  # the real figures of the landed apps make way for the stand-ins
    for prefix in [p for p in m.FAMILIES if p != "tag"]:
        del m.FAMILIES[prefix]
    for key, v in values.items():
        is_rate = key.endswith("rate")
        m.metric(key, label=key, unit="%" if is_rate else "个", definition=key, rate=is_rate)(
            lambda s, v=v: v
        )
    m.metric("needs.category.rehab", label="康复训练", unit="项", definition="x", chart="needs.category")(
        lambda s: 4
    )
    m.metric("needs.category.meal", label="助餐", unit="项", definition="x", chart="needs.category")(
        lambda s: 0
    )
    yield values
    m.REGISTRY.clear()
    m.REGISTRY.update(saved)
    m.FAMILIES.clear()
    m.FAMILIES.update(saved_families)


def test_the_report_states_the_coming_figures_once_registered(tree: Any, coming_metrics: Any) -> None:
    text = work_report(region=tree.street, period=YEAR).text
    assert "共入户走访6320次，走访11户，发放政策明白纸53900份，宣讲政策13次。" in text
    assert "发现问题390个，解决385个，解决率98.7%。" in text
    assert "群众满意率达99.5%" in text
    assert "需求中有康复训练4项。" in text and "助餐0" not in text
    assert "群众诉求" not in text  # appeals = 0
    assert "培育志愿者" in text and "累计志愿服务" in text


def test_docx_states_the_figures(tree: Any, person_a: Any, person_b: Any) -> None:
    report = work_report(region=tree.street, period=YEAR)
    text = docx_text(write_docx(report).read())
    assert "市西街道工作总结" in text
    assert "精准摸排智力精神障碍类1人、肢体残疾类1人" in text
    document = docx.Document(write_docx(report))
    runs = [r.text for p in document.paragraphs for r in p.runs]
    assert "1" in runs and "2" in runs  # each figure a run of its own (in the body's type: GB/T 9704)


def test_work_report_page_links_each_figure(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.street_admin)
    response = client.get(reverse("reports:work_report"))
    assert response.status_code == 200
    page = response.content.decode()
    drill = reverse("reports:drill", args=["ledger.red"])
    assert f'<a href="{drill}?region=371602003000&amp;from=' in page
    assert 'data-metric="ledger.red"' in page
    docx_response = client.get(reverse("reports:work_report_docx"), {"region": "371602003001"})
    assert docx_response.status_code == 200
    assert docx_response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text = docx_text(docx_response.getvalue())
    assert "甲社区工作总结" in text and "智力精神障碍类1人" in text and "肢体残疾类" not in text


def test_work_report_is_scoped(users: Any, person_a: Any, person_b: Any) -> None:
    client = login(users.worker_a)
    text = client.get(reverse("reports:work_report")).content.decode()
    assert "甲社区工作总结" in text and "肢体残疾类" not in text
    assert client.get(reverse("reports:work_report"), {"region": "371602003000"}).status_code == 404
    assert client.get(reverse("reports:work_report_docx"), {"region": "371602003002"}).status_code == 404


def test_work_report_command(tree: Any, person_a: Any, person_b: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    call_command("work_report", "--region", "市西街道", "--out", str(out), stdout=io.StringIO())
    assert "肢体残疾类1人" in docx_text(out.read_bytes())
    last_year = str(TODAY.year - 1)
    call_command(
        "work_report", "--region", "371602003000", "--from", f"{last_year}-01-01", "--to", f"{last_year}-12-31",
        "--out", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    text = docx_text(out.read_bytes())
    assert "四色台账" not in text  # the certificates start today: nothing in force last year
    with pytest.raises(CommandError):
        call_command("work_report", "--region", "市西街道", "--from", "2026-02-30", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("work_report", "--region", "无此街道", "--out", str(out))


def test_report_period_text(tree: Any) -> None:
    report = work_report(
        region=tree.street, period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    )
    assert report.subtitle == "统计期：2026年1月1日至2026年6月30日"
    assert Scope(region=tree.street).region == tree.street
