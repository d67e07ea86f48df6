"""Every app's records open in the drill-down with that app's own columns: the registered
headings (not the default 记录 / 所属区域 / 日期), the summed field of a sum, the field that
decides a rate, masked personal data only, and a number of queries that does not grow with the
records. Built through the services on the conftest tree; the period is the past year."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import UserFactory
from tests.outreach_factories import household_in, make_need, make_org, make_resource, make_visit, units_for
from wushe.accounts.roles import Role
from wushe.appeals import services as appeal_services
from wushe.appeals.models import Appeal
from wushe.casework import services as case_services
from wushe.core.drill import DEFAULT, PRESENTERS, presenter_for
from wushe.core.metrics import FAMILIES, REGISTRY, Scope, compute, records_for
from wushe.needs import services as need_services
from wushe.partners.models import OrganizationKind
from wushe.projects.services import project_create
from wushe.volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db

MODELS = {
    "visits.Visit",
    "needs.Need",
    "needs.Problem",
    "casework.Case",
    "casework.CaseService",
    "casework.Group",
    "casework.GroupSession",
    "casework.Activity",
    "appeals.Studio",
    "appeals.Appeal",
    "volunteers.Volunteer",
    "volunteers.Team",
    "volunteers.ServiceRecord",
    "partners.Resource",
    "partners.Organization",
    "projects.Project",
    "accounts.User",
}
# the column each rate's records are counted by (a new rate of these models must say which)
DECIDED_BY = {
    "problems.resolution_rate": "状态",
    "needs.satisfaction_rate": "满意度",
    "problems.satisfaction_rate": "满意度",
    "appeals.satisfaction_rate": "满意度",
}
# the encrypted columns: no page of these records reads them
ENCRYPTED = [
    '"registry_person"."id_number"',
    '"registry_person"."phone"',
    '"registry_person"."contact_phone"',
    '"appeals_appeal"."requester_phone"',
]
TODAY = timezone.localdate()
PERIOD: dict[str, Any] = {
    "region": "371602003000",
    "from": (TODAY - datetime.timedelta(days=365)).isoformat(),
    "to": TODAY,
}
_n = itertools.count(1)


def _units(tree: Any) -> dict[str, Any]:
    return units_for(tree.street, [tree.community_a, tree.community_b], [tree.grid_a, tree.grid_b])


def build(tree: Any, n: int) -> list[str]:
    """``n`` of every record the figures of these apps list, in 市西街道 within the past year;
    returns the full ID numbers and phones used (none may appear on a page)."""
    from wushe.appeals import calendar

    calendar.invalidate()
    units = _units(tree)
    now = timezone.now()
    secrets = []
    for _ in range(n):
        i = next(_n)
        worker = UserFactory(role=Role.SOCIAL_WORKER, region=tree.community_a)
        household = household_in(tree.grid_a, phone=f"1380000{i:04d}")
        person = household.members.get()
        secrets += [person.id_number, person.phone, f"1370000{i:04d}"]
        org = make_org(tree.street)
        make_org(tree.street, kind=OrganizationKind.COMMUNITY)
        make_resource(org, tree.community_a)
        project = project_create(
            acting_user=None,
            region=tree.community_a,
            name=f"钻取项目{i}",
            kind="disability",
            organization=org,
            start_on=TODAY - datetime.timedelta(days=30),
            end_on=TODAY + datetime.timedelta(days=30),
            budget="5000",
        )
        _paid_by_a_fund(tree, project, i)
        # visits, needs, problems
        visit = make_visit(
            household,
            day=TODAY - datetime.timedelta(days=3),
            workers=[worker],
            leaflets=3,
            policies_explained=2,
        )
        make_need(
            household,
            reported_on=TODAY - datetime.timedelta(days=60),
            deadline=TODAY - datetime.timedelta(days=30),
        )
        met = make_need(household, reported_on=TODAY - datetime.timedelta(days=10))
        need_services.need_advance(acting_user=None, need=met, to_status="met", satisfaction="satisfied")
        found = need_services.problem_create(
            acting_user=None, description="楼道灯坏", household=household, visit=visit
        )
        need_services.problem_resolve(
            acting_user=None, problem=found, resolution="已修", satisfaction="basic"
        )
        need_services.problem_create(acting_user=None, description="门前积水", person=person)
        # cases, groups, activities
        day = TODAY - datetime.timedelta(days=5)
        case = case_services.case_open(
            acting_user=None, person=person, reason="康复", opened_on=day, organization=org, worker=worker
        )
        case_services.case_service_record(
            acting_user=None, case=case, on=day, minutes=45, content="上门", worker=worker
        )
        group = case_services.group_create(
            acting_user=None,
            region=tree.community_a,
            name=f"钻取小组{i}",
            goal="互助",
            starts_on=day,
            organization=org,
            members=[person],
        )
        case_services.group_session_record(
            acting_user=None, group=group, on=day, topic="相识", attendees=[person]
        )
        case_services.activity_create(
            acting_user=None,
            region=tree.grid_a,
            kind="publicity",
            title=f"钻取活动{i}",
            on=day,
            place="活动室",
            organizer_kind="organization",
            organizer=org,
            participants=12,
            leaflets=40,
        )
        # a studio with a solved request and an overdue one by name and phone
        studio_org = make_org(tree.community_a, kind=OrganizationKind.STUDIO)
        studio = appeal_services.studio_create(acting_user=None, organization=studio_org)
        project_create(  # a studio project (工作室特色项目)
            acting_user=None,
            region=tree.community_a,
            name=f"钻取工作室项目{i}",
            kind="activity",
            organization=studio_org,
            start_on=TODAY - datetime.timedelta(days=30),
            end_on=TODAY + datetime.timedelta(days=30),
        )
        _solved(studio, person, units["station"], now - datetime.timedelta(days=10))
        appeal_services.appeal_register(
            acting_user=None,
            studio=studio,
            channel="walk_in",
            category="help",
            content="求助",
            region=tree.community_a,
            requester_name="王某",
            requester_phone=f"1370000{i:04d}",
            at=now - datetime.timedelta(days=60),
        )
        # a volunteer team, a volunteer and verified hours
        team_org = make_org(tree.community_a, kind=OrganizationKind.VOLUNTEER_TEAM)
        team = volunteer_services.team_create(
            acting_user=None, organization=team_org, sponsor=org, leader_name="赵队长"
        )
        volunteer = volunteer_services.volunteer_create(
            acting_user=None, team=team, name=f"志愿者{i}", joined_on=TODAY - datetime.timedelta(days=30)
        )
        volunteer_services.service_records_bulk_log(
            acting_user=None,
            records=[
                volunteer_services.service_record_prepare(
                    acting_user=None,
                    volunteer=volunteer,
                    on=day,
                    hours="2.5",
                    kind="meal",
                    content="送餐",
                    verified=True,
                )
            ],
        )
    return secrets


def _solved(studio: Any, person: Any, unit: Any, at: datetime.datetime) -> Any:
    appeal = appeal_services.appeal_register(
        acting_user=None,
        studio=studio,
        channel="visit",
        category="help",
        content="助残",
        person=person,
        at=at,
    )
    hour = datetime.timedelta(hours=1)
    appeal_services.appeal_receive(acting_user=None, appeal=appeal, note="接待", at=at + hour)
    appeal_services.appeal_refer(acting_user=None, appeal=appeal, unit=unit, at=at + 2 * hour)
    appeal_services.appeal_handle(
        acting_user=None, appeal=appeal, resolution="解决", resolved=True, at=at + 24 * hour
    )
    appeal_services.appeal_feedback(
        acting_user=None, appeal=appeal, feedback="告知", satisfaction="satisfied", at=at + 48 * hour
    )
    return appeal_services.appeal_archive(acting_user=None, appeal=appeal, at=at + 72 * hour)


def _paid_by_a_fund(tree: Any, project: Any, i: int) -> None:
    """A community charity fund pays the project (funds.projects lists the projects it paid)."""
    from tests.factories import OrganizationFactory
    from wushe.funds.services import (
        committee_set,
        disbursement_approve,
        disbursement_pay,
        disbursement_request,
        donation_record,
        fund_create,
    )
    from wushe.partners.models import Organization

    charity = Organization.objects.filter(name="钻取慈善总会").first() or OrganizationFactory(
        region=tree.county,
        kind=OrganizationKind.COMMUNITY,
        name="钻取慈善总会",
        credit_code="53371602MJ0000010F",
    )
    fund = fund_create(
        acting_user=None,
        region=tree.community_a,
        name=f"钻取基金{i}",
        organization=charity,
        purpose="助残",
        opened_on=TODAY - datetime.timedelta(days=60),
    )
    people = [UserFactory() for _ in range(5)]
    committee_set(acting_user=None, fund=fund, chair=people[0], supervisor=people[1], members=people[2:])
    donation_record(
        acting_user=None,
        fund=fund,
        amount="500.00",
        donated_on=TODAY - datetime.timedelta(days=20),
        channel="bank",
        donor_kind="anonymous",
    )
    d = disbursement_request(acting_user=None, fund=fund, amount="300.00", purpose="资助", project=project)
    for member in people[2:5]:
        d = disbursement_approve(acting_user=member, disbursement=d)
    payer = UserFactory(role=Role.PAYER, region=tree.street)
    disbursement_pay(acting_user=payer, disbursement=d, method="转账", voucher_number=f"钻取{i}")


def drill_keys(tree: Any) -> list[tuple[str, Any]]:
    """Every metric (and every family member with records) whose records are of ``MODELS``."""
    scope = Scope(region=tree.street, start=TODAY - datetime.timedelta(days=365), end=TODAY)
    keys = [k for k, m in REGISTRY.items() if m.parts is None]
    for prefix, family in FAMILIES.items():
        keys += [f"{prefix}.{s}" for s, (_label, v) in family.compute(scope).items() if v]
    out = []
    for key in keys:
        records = records_for(key, scope)
        assert records is not None, key
        if records.model._meta.label in MODELS:
            out.append((key, records.model))
    return out


def url(key: str) -> str:
    return reverse("reports:drill", args=[key])


def test_every_model_listed_by_a_figure_has_its_columns() -> None:
    registered = {m._meta.label for m in PRESENTERS}
    assert registered >= MODELS, MODELS - registered
    assert PRESENTERS[get_user_model()] is not DEFAULT


def test_each_drill_down_shows_its_registered_columns_and_masked_data(tree: Any, users: Any) -> None:
    secrets = build(tree, 2)
    keys = drill_keys(tree)
    assert {m._meta.label for _k, m in keys} == MODELS  # every model is opened by some figure
    client = login(users.street_admin)
    default = [str(c.label) for c in DEFAULT.columns]
    for key, model in keys:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(key), PERIOD)
        assert response.status_code == 200, key
        headings = response.context["headings"]
        assert headings == [str(c.label) for c in presenter_for(model).columns], key
        assert headings != default and "记录" not in headings, key
        assert response.context["rows"], key  # the page lists records, in those columns
        page = response.content.decode()
        for h in headings:
            assert f'<th scope="col">{h}</th>' in page, (key, h)
        metric = REGISTRY.get(key)
        if metric is not None and metric.sum_of:
            assert str(model._meta.get_field(metric.sum_of).verbose_name) in headings, key
        if metric is not None and metric.numerator is not None:
            assert DECIDED_BY[key] in headings, key
        leaked = [s for s in secrets if s and s in page]
        assert leaked == [], key
        read = [c for q in ctx.captured_queries for c in ENCRYPTED if c in q["sql"]]
        assert read == [], key


def test_sums_list_the_summed_field_record_by_record(tree: Any, users: Any) -> None:
    build(tree, 2)
    client = login(users.street_admin)
    for key in (
        "leaflets",
        "policies_explained",
        "activity_participants",
        "leaflets.activities",
        "volunteer_hours",
    ):
        response = client.get(url(key), PERIOD)
        records = records_for(key, Scope(region=tree.street))
        assert records is not None, key
        model = records.model
        label = model._meta.get_field(REGISTRY[key].sum_of).verbose_name
        column = response.context["headings"].index(str(label))
        total = sum(Decimal(str(row.cells[column])) for row in response.context["rows"])
        assert total == response.context["figure"].value, key


# 12 s: in the slow tier (make test-slow, CI), keeping make test under its 6 minutes
@pytest.mark.slow
def test_drill_down_queries_do_not_grow_with_the_records(tree: Any, users: Any) -> None:
    client = login(users.street_admin)

    def queries(keys: list[str]) -> dict[str, int]:
        counts = {}
        for key in keys:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url(key), PERIOD).status_code == 200, key
            counts[key] = len(ctx.captured_queries)
        return counts

    build(tree, 2)
    keys = [k for k, _m in drill_keys(tree)]
    queries(keys)  # warm the caches (permissions, calendar, content types)
    few = queries(keys)
    build(tree, 18)
    rows = {k: len(client.get(url(k), PERIOD).context["rows"]) for k in keys}
    assert min(rows.values()) >= 18, rows  # every page now lists many more records
    many = queries(keys)
    grown = {k: (few[k], many[k]) for k in keys if many[k] != few[k]}
    assert grown == {}


def test_export_of_requests_has_the_columns_and_masked_phones(tree: Any, users: Any) -> None:
    secrets = build(tree, 2)
    client = login(users.street_admin)
    response = client.get(reverse("reports:drill_export", args=["appeals"]), PERIOD)
    assert response.status_code == 200
    body = BytesIO(response.getvalue())
    sheet = CalamineWorkbook.from_filelike(body).get_sheet_by_index(0).to_python()
    headings, records = sheet[1], sheet[2:]
    assert headings == [str(c.label) for c in PRESENTERS[Appeal].columns]
    assert len(records) == compute(Scope(region=tree.street), ["appeals"])["appeals"].value == 4
    rows = [dict(zip(headings, r, strict=True)) for r in records]
    overdue = [r for r in rows if r["是否逾期"] == "是"]
    assert len(overdue) == 2 and {r["诉求人"] for r in overdue} == {"王某"}
    archived = [r for r in rows if r["当前步骤"] == "归档"]
    assert len(archived) == 2 and all(r["满意度"] == "满意" and r["办结天数"] == 3.0 for r in archived)
    flat = [str(c) for r in records for c in r]
    assert [s for s in secrets if s in flat] == []


def test_headings_are_translated(tree: Any, users: Any) -> None:
    build(tree, 1)
    client = login(users.street_admin)
    client.post(reverse("set_language"), {"language": "en", "next": url("appeals")})
    headings = client.get(url("appeals"), PERIOD).context["headings"]
    assert headings[:2] == ["Request number", "Requester"] and "Overdue" in headings


def test_households_pages_and_exports_do_not_query_per_household(tree: Any, users: Any) -> None:
    """The households figure (and the coverage list's export) name each household by its head and
    count its members: loaded once per page or chunk, not once per household."""
    client = login(users.street_admin)

    def page_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("households"), PERIOD)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["rows"])

    for i in range(2):
        household_in(tree.grid_a, phone=f"1390000{i:04d}")
    page_queries()  # warm the caches
    few, rows_few = page_queries()
    for i in range(2, 12):
        household_in(tree.grid_a, phone=f"1390000{i:04d}")
    many, rows_many = page_queries()
    assert rows_many >= rows_few + 10
    assert many == few
    with CaptureQueriesContext(connection) as ctx:
        export = client.get(reverse("visits:coverage_export"))
    assert export.status_code == 200
    export.getvalue()
    assert len(ctx.captured_queries) < 20
