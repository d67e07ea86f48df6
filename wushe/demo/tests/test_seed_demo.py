"""The demo streets reproduce the articles' figures because the demo creates the records."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.conf import global_settings
from django.core.management import call_command
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.accounts.services import api_token_issue
from wushe.core.idgen import make_certificate_number, make_id_number

pytestmark = [pytest.mark.demo, pytest.mark.xdist_group("demo")]  # seeded once: conftest.py


def stats(region: str) -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--region", region, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_shixi_figures_come_from_the_records(demo: str) -> None:
    data = stats("市西街道")
    assert data["region"] == {"code": "371602002000", "name": "市西街道"}
    m = data["metrics"]
    assert m["communities"] == 22
    assert (m["ledger.red"], m["ledger.blue"], m["ledger.green"], m["ledger.yellow"]) == (186, 506, 122, 92)
    assert m["disabled"] == 906
    assert m["category.5"] + m["category.6"] == 186
    assert m["households"] == 906
    assert (
        User.objects.filter(
            grants__role=Role.SOCIAL_WORKER,
            grants__region__name__endswith="社区",
            grants__region__parent__name="市西街道",
        )
        .distinct()
        .count()
        == 180
    )


def test_yunmenshan_figures(demo: str) -> None:
    m = stats("云门山街道")["metrics"]
    assert m["communities"] == 10
    assert m["grids"] == 115
    assert m["households"] == 210
    assert m["persons"] == 530
    assert m["tag.tuopin"] == 530


def test_demo_logins_and_scope(demo: str, settings: Any) -> None:
    assert "limin" in demo and "wushe-demo" in demo
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the demo hashes with the real one
    limin = User.objects.get(username="limin")
    assert limin.check_password("wushe-demo")
    client = Client()
    client.force_login(limin)
    regions = client.get("/api/v1/regions?limit=500").json()["items"]
    assert {r["name"] for r in regions if r["level"] == "community"} == {"利民社区"}


def test_seed_twice_changes_nothing(demo: str) -> None:
    before = stats("市西街道")["metrics"]
    call_command("seed_demo", stdout=StringIO())
    assert stats("市西街道")["metrics"] == before


def test_posting_a_mental_disability_makes_red_187(demo: str) -> None:
    token = api_token_issue(user=User.objects.get(username="shixi"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    number = make_id_number("371602", datetime.date(1990, 3, 7), 913)
    body = {
        "name": "测试人",
        "id_number": number,
        "region": "371602002001001",
        "phone": "13800001111",
        "address": "利民社区1号楼",
        "tags": ["低保"],
        "disability_certificate": make_certificate_number(number, 6, 2),
    }
    response = client.post("/api/v1/persons", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["id_number"].count("*") == 8
    assert stats("市西街道")["metrics"]["ledger.red"] == 187
    bad = client.post(
        "/api/v1/persons", {**body, "id_number": number[:-1] + "0"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "id_number"


def _report_text(region: str, tmp_path: Any) -> str:
    import docx

    out = tmp_path / f"{region}.docx"
    call_command("work_report", "--region", region, "--out", str(out), stdout=StringIO())
    return "\n".join(p.text for p in docx.Document(str(out)).paragraphs)


def test_the_work_reports_state_the_articles_figures(demo: str, tmp_path: Any) -> None:
    """The generated 工作总结 states every article figure the landed apps cover, from the records."""
    shixi = _report_text("市西街道", tmp_path)
    assert "市西街道辖区共有社区22个" in shixi
    assert "精准摸排智力精神障碍类186人、肢体残疾类506人、视力听力言语障碍类122人、多重残疾类92人" in shixi
    assert "持证残疾人906人" in shixi
    assert "设立社区慈善基金22个，募集善款506000元，支出106000元，资助项目6个" in shixi
    yunmen = _report_text("云门山街道", tmp_path)
    assert "统筹协调爱心捐赠123000元" in yunmen
    assert "云门山街道辖区共有社区10个、网格115个、在册居民530人、210户" in yunmen
    assert "脱贫户530人" in yunmen


# ---- service work (issue 6): wushe/demo/service_work.py ---------------------------------------


def test_shixi_service_figures_come_from_the_records(demo: str) -> None:
    from wushe.appeals.models import Appeal, Studio
    from wushe.casework.models import Case, Group
    from wushe.partners.models import Organization
    from wushe.volunteers.models import Team

    m = stats("市西街道")["metrics"]
    assert (m["cases"], m["groups"], m["studios"], m["volunteers"], m["volunteer_teams"]) == (
        108,
        34,
        3,
        2960,
        131,
    )
    assert m["activities"] == 212  # "200+ community activities"
    assert m["volunteer_hours"] == 604
    assert m["appeals.overdue"] > 0  # past their deadline as of today: grows with the calendar
    # "100+ disabled families with precise services": the households whose needs were met
    assert m["needs.households"] == 108
    # "3 studios with 12 projects": projects whose undertaking organization is a studio
    assert m["studio_projects"] == 12
    from wushe.accounts.models import User as Account
    from wushe.core.models import Region
    from wushe.reports.narrative import work_report
    from wushe.reports.periods import Period

    street = Region.objects.get(name="市西街道", level="street")
    report = work_report(
        region=street,
        period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        user=Account.objects.get(username="shixi"),
    )
    assert "开办“社会组织+两代表一委员”工作室3处" in report.text and "实施特色项目12个" in report.text
    assert f"为{m['needs.households']}户家庭提供精准服务" in report.text
    names = set(
        Team.objects.filter(region__parent__name="市西街道").values_list("organization__name", flat=True)
    )
    assert {"思源志愿服务队", "久久红盾志愿服务队", "活塞志愿服务队", "“魏”爱前行志愿服务队"} <= names
    professional = set(
        Organization.objects.filter(kind="professional", region__name="市西街道").values_list(
            "name", flat=True
        )
    )
    assert len(professional) == 5
    run_by = set(
        Case.objects.values_list("organization__name", flat=True).filter(
            region__path__startswith=_path("市西街道")
        )
    )
    assert run_by == professional
    assert (
        set(
            Group.objects.filter(region__parent__name="市西街道").values_list("organization__name", flat=True)
        )
        == professional
    )
    for studio in Studio.objects.filter(region__parent__name="市西街道"):
        assert "社会组织+两代表一委员" in studio.organization.name
        assert set(Appeal.objects.filter(studio=studio).values_list("step", flat=True)) == {
            "register", "receive", "refer", "handle", "feedback", "archive"
        }  # fmt: skip
        assert studio.teams.count() == 3


def _path(street: str) -> str:
    from wushe.core.models import Region

    return Region.objects.get(name=street, level="street").path


def test_yunmenshan_service_figures(demo: str) -> None:
    from wushe.appeals.models import Appeal

    m = stats("云门山街道")["metrics"]
    # "50余名社工", "扶贫社会服务共计80余次": 48 case service records, 15 group sessions, 20 activities
    assert (m["social_workers"], m["services"]) == (52, 83)
    assert (m["case_services"], m["group_sessions"], m["activities"]) == (48, 15, 20)
    archived = Appeal.objects.filter(
        region__path__startswith=_path("云门山街道"),
        step="archive",
        resolved=True,
        archived_at__date__gte=datetime.date(2026, 10, 1),
        archived_at__date__lte=datetime.date(2026, 11, 30),
    ).exclude(resolution="")
    assert archived.count() == 196
    period = json.loads(_stats_json("云门山街道", "2026-10-01", "2026-11-30"))["metrics"]
    assert period["difficulties_solved"] == 416  # "380+ difficulties solved"
    assert m["appeals.satisfaction_rate"] == 99.5


def _stats_json(region: str, start: str, end: str) -> str:
    out = StringIO()
    call_command("stats", "--region", region, "--from", start, "--to", end, "--json", stdout=out)
    return out.getvalue()


# ---- drill-down: every figure of the demo streets is made of the records it lists ------------


@pytest.mark.parametrize("street", ["市西街道", "云门山街道"])
@pytest.mark.parametrize("period", [(None, None), (datetime.date(2026, 10, 1), datetime.date(2026, 11, 30))])
def test_every_figure_of_the_demo_is_made_of_its_records(demo: str, street: str, period: Any) -> None:
    """Each figure computed again from the records its drill-down lists — their number, the sum of
    a field over them, the rate of those that count, or the sum of its parts — is the figure."""
    from wushe.core.metrics import Scope, compute, recompute
    from wushe.core.models import Region

    region = Region.objects.get(name=street, level="street")
    admin = User.objects.get(username="shixi" if street == "市西街道" else "yunmenshan")
    figures = compute(Scope(region=region, user=admin, start=period[0], end=period[1]))
    undrillable = [key for key, f in figures.items() if not f.drill]
    assert undrillable == [], "every figure opens the records behind it"
    with_data = []
    for key, figure in figures.items():
        again = recompute(key, Scope(region=region, user=admin, start=period[0], end=period[1]))
        assert again == figure.value, (key, street, period)
        if figure.has_data:
            with_data.append(key)
    # sums, rates and figures of parts are checked on data, not only on zeros
    expected = {
        "satisfaction_rate",
        "problems.resolution_rate",
        "leaflets",
        "services",
        "difficulties_solved",
    }
    if street == "云门山街道":
        assert expected <= set(with_data)
    client = Client()
    client.force_login(admin)
    for key in ("visits", "needs.met", "leaflets", "satisfaction_rate", "services", "appeals", "volunteers"):
        page = client.get(f"/reports/drill/{key}/", {"region": region.code})
        assert page.status_code == 200, key


def test_the_dashboard_draws_the_charts_of_the_issue_from_the_demo(demo: str) -> None:
    """Needs by category and status, satisfaction, requests by step, volunteer hours by type as
    charts; visits, needs, services and requests month by month — services' months add up its parts'."""

    from wushe.core.metrics import Scope, compute_known
    from wushe.core.models import Region
    from wushe.reports.dashboard import dashboard_for
    from wushe.reports.periods import Period

    region = Region.objects.get(name="云门山街道", level="street")
    admin = User.objects.get(username="yunmenshan")
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))  # the demo's year
    board = dashboard_for(user=admin, region=region, period=period)
    charts = {c.key: c for c in board.charts}
    assert {"needs.category", "needs.status", "satisfaction", "appeals.step", "volunteer_hours.type"} <= set(
        charts
    )
    assert sum(i["value"] for i in charts["needs.status"].items) == board.figures["needs"].value
    assert {i["key"] for i in charts["satisfaction"].items} == {
        "needs.satisfaction_rate",
        "problems.satisfaction_rate",
        "appeals.satisfaction_rate",
    }
    assert charts["satisfaction"].unit == ""  # a rate's display carries its own %
    trends = {t.key: t for t in board.trends}
    assert {"visits", "needs", "services", "appeals"} <= set(trends)
    for key in ("visits", "needs", "services", "appeals"):
        assert sum(i["value"] for i in trends[key].items) == board.figures[key].value, key
    for month, item in zip(period.months(), trends["services"].items, strict=True):
        scope = Scope(region=region, user=admin, start=month.start, end=month.end)
        parts = compute_known(scope, ["case_services", "group_sessions", "activities"])
        values = [f.value for f in parts.values() if f.value is not None]
        assert len(values) == len(parts) and item["value"] == sum(values), month
    sections = [name for name, _cards in board.sections]
    assert sections[:2] == ["居民档案", "社会组织与资源"] and "工作室与居民诉求" in sections


def test_the_drill_down_of_a_rate_a_sum_and_a_figure_of_parts(demo: str) -> None:
    from wushe.core.models import Region

    region = Region.objects.get(name="云门山街道", level="street")
    client = Client()
    client.force_login(User.objects.get(username="yunmenshan"))
    q = {"region": region.code, "from": "2026-01-01", "to": "2026-11-30"}

    rate = client.get("/reports/drill/problems.resolution_rate/", q).content.decode()
    assert "比率的分母为 390 条记录，其中 385 条计入分子。" in rate
    assert "共 390 条记录" in rate
    counted = client.get("/reports/drill/problems.resolution_rate/", {**q, "counted": "1"}).content.decode()
    assert "共 385 条记录" in counted

    leaflets = client.get("/reports/drill/leaflets/", q).content.decode()
    assert "54438" in leaflets and "之和" in leaflets

    services = client.get("/reports/drill/services/", q).content.decode()
    for part in ("case_services", "group_sessions", "activities"):
        assert f"/reports/drill/{part}/?region={region.code}" in services, part
    assert client.get("/reports/drill/services/export.xlsx", q).status_code == 404  # parts export their own
    assert client.get("/reports/drill/leaflets/export.xlsx", q).status_code == 200
    solved = client.get("/reports/drill/difficulties_solved/", q).content.decode()
    assert "/reports/drill/appeals.solved/" in solved and "/reports/drill/needs.met/" in solved


def test_the_demo_households_hold_their_count_of_registered_members(demo: str) -> None:
    """The demo builds its households through the registry's services, which keep each
    household's count of registered members: every count is that of its persons."""
    from django.db.models import Count, Q

    from wushe.registry.models import Household

    households = Household.objects.annotate(n=Count("members", filter=Q(members__status="active")))
    wrong = [(h.pk, h.active_members, h.n) for h in households if h.active_members != h.n]
    assert households.count() == 1116
    assert wrong == []


# ---- charity funds (issue 17): wushe/demo/funds_demo.py --------------------------------------


def test_charity_fund_figures_come_from_the_records(demo: str) -> None:
    from decimal import Decimal

    from wushe.core.metrics import Scope, compute, recompute
    from wushe.core.selectors import region_resolve
    from wushe.funds.models import Fund

    m = stats("市西街道")["metrics"]
    assert m["funds"] == 22
    assert (Decimal(str(m["funds.raised"])), Decimal(str(m["funds.spent"]))) == (
        Decimal("506000"),
        Decimal("106000"),
    )
    assert m["funds.projects"] == 6
    assert Decimal(str(m["funds.balance"])) == Decimal("400000")
    assert Fund.objects.filter(region__parent__name="市西街道").count() == 22
    y = stats("云门山街道")["metrics"]
    assert Decimal(str(y["donations.amount"])) == Decimal("123000")
    for region in ("市西街道", "云门山街道"):
        scope = Scope(region=region_resolve(code_or_name=region))
        figures = compute(scope)
        for key in ("funds", "funds.raised", "funds.spent", "funds.balance", "funds.projects",
                    "donations.amount", "donations.count", "donors"):  # fmt: skip
            assert recompute(key, scope) == figures[key].value, (region, key)
