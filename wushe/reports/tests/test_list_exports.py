"""The Excel export of every list page: the list's own records (same filter, same scope), with
the columns the model shows in the drill-down, masked, permission-checked and audited.

One world serves all the exports: records in 市西街道 (the street admin's, some matching each
list's filter and some not) and in the sibling street 彭李街道, whose records carry the mark 丙
in their names and regions and must appear in no export.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.conftest import login
from tests.factories import PersonFactory
from tests.outreach_factories import (
    household_in,
    make_need,
    make_org,
    make_project,
    make_resource,
    make_visit,
)
from tests.service_world import service_objects
from wushe.appeals import selectors as appeal_selectors
from wushe.appeals.models import Appeal, Studio
from wushe.appeals.services import appeal_register
from wushe.casework import selectors as casework_selectors
from wushe.casework.models import Activity, Case, Group
from wushe.casework.services import activity_create, case_open, group_create
from wushe.core.drill import presenter_for, rows_for
from wushe.core.exports import XLSX
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.needs import selectors as need_selectors
from wushe.needs.models import Need, Problem, ProblemStatus
from wushe.needs.services import problem_create, problem_resolve
from wushe.partners import selectors as partner_selectors
from wushe.partners.models import Organization, OrganizationKind, Resource, ResponsibilityUnit, UnitKind
from wushe.partners.services import organization_create, responsibility_unit_create
from wushe.projects import selectors as project_selectors
from wushe.projects.models import Project
from wushe.registry.models import Household
from wushe.visits import selectors as visit_selectors
from wushe.visits.models import Visit
from wushe.volunteers import selectors as volunteer_selectors
from wushe.volunteers.models import Team, Volunteer
from wushe.volunteers.services import team_create, volunteer_create

pytestmark = pytest.mark.django_db

SIBLING_MARK = "丙"  # in every sibling record's name and region, in no record of 市西街道
REQUESTER_PHONE = "13700001111"


@dataclass
class World:
    tree: Any
    own: dict[str, Any]
    people: list[Any] = field(default_factory=list)  # everyone whose full numbers must not leak


@pytest.fixture
def world(tree: Any) -> World:
    today = timezone.localdate()
    own_person = PersonFactory(name="甲居民", region=tree.grid_a, phone="13811112222")
    other_person = PersonFactory(name="乙居民", region=tree.grid_b, phone="13833334444")
    sibling_person = PersonFactory(name="丙居民", region=tree.community_c, phone="13955556666")
    own = service_objects(region=tree.community_a, grid=tree.grid_a, person=own_person, tag="甲")
    service_objects(region=tree.community_c, grid=tree.community_c, person=sibling_person, tag="丙")

    # records of 市西街道 that each list's filter leaves out
    appeal_register(
        acting_user=None,
        region=tree.community_a,
        channel="walk_in",
        category="help",
        content="求助",
        requester_name="来访人",
        requester_phone=REQUESTER_PHONE,
    )
    appeal_register(
        acting_user=None,
        region=tree.community_b,
        channel="walk_in",
        category="consult",
        content="咨询政策",
        requester_name="咨询人",
    )
    case_open(acting_user=None, person=other_person, reason="另一个案", opened_on=today)
    group_create(acting_user=None, region=tree.grid_b, name="读书小组", goal="阅读", starts_on=today)
    activity_create(
        acting_user=None, region=tree.grid_b, kind="community", title="健康讲座", on=today, place="会议室"
    )
    other_team_org = organization_create(
        acting_user=None, region=tree.community_b, kind=OrganizationKind.VOLUNTEER_TEAM, name="助残志愿服务队"
    )
    other_team = team_create(acting_user=None, organization=other_team_org)
    volunteer_create(acting_user=None, team=other_team, name="王志愿", joined_on=today)

    # outreach on both sides
    for region, grid, person, tag, phone in (
        (tree.street, tree.grid_a, own_person, "甲", "13600001000"),
        (tree.other_street, tree.community_c, sibling_person, "丙", "13600002000"),
    ):
        responsibility_unit_create(
            acting_user=None, region=region, kind=UnitKind.STATION, name=f"{tag}社工站"
        )
        household = household_in(grid, name=f"{tag}户主", phone=phone)
        make_visit(household)
        make_need(household)
        problem_create(acting_user=None, person=person, description=f"{tag}问题")
        org = make_org(region, name=f"{tag}机构")
        make_resource(org, region, name=f"{tag}资源")
        make_project(org, region, name=f"{tag}项目")
    household_in(tree.grid_a, name="甲户二", phone="13600004000")  # never visited
    other_household = household_in(tree.grid_b, name="乙户主", phone="13600003000")
    make_visit(other_household)
    make_need(other_household, category="psych", description="需要心理疏导")
    resolved = problem_create(acting_user=None, person=other_person, description="已解决的问题")
    problem_resolve(acting_user=None, problem=resolved, resolution="已处理")
    make_resource(make_org(tree.street, name="另一机构"), tree.street, name="另一资源")

    people = [own_person, other_person, sibling_person]
    people += [m for h in Household.objects.all() for m in h.members.all()]
    return World(tree=tree, own=own, people=people)


@dataclass(frozen=True)
class Case_:
    url: str  # the export
    list_url: str  # the list page it exports
    model: type[Model]
    export: str  # the export's name in the audit record
    title: str
    params: Callable[[World], dict[str, str]]  # a filter the list page supports ({}: it has none)
    records: Callable[[Any, World], QuerySet[Any]]  # the selector, with that filter


def _none(w: World) -> dict[str, str]:
    return {}


CASES = [
    Case_(
        "appeals:appeal_export",
        "appeals:appeal_list",
        Appeal,
        "appeals",
        "居民诉求",
        lambda w: {"category": "help"},
        lambda u, w: appeal_selectors.appeal_list(
            user=u, filters=appeal_selectors.AppealFilters(category="help")
        ),
    ),
    Case_(
        "appeals:studio_export",
        "appeals:studio_list",
        Studio,
        "studios",
        "代表委员工作室",
        _none,
        lambda u, w: appeal_selectors.studio_list(user=u),
    ),
    Case_(
        "casework:case_export",
        "casework:case_list",
        Case,
        "cases",
        "个案",
        lambda w: {"q": w.own["case"].number},
        lambda u, w: casework_selectors.case_list(
            user=u, filters=casework_selectors.CaseFilters(q=w.own["case"].number)
        ),
    ),
    Case_(
        "casework:group_export",
        "casework:group_list",
        Group,
        "groups",
        "小组",
        lambda w: {"q": "矩阵小组"},
        lambda u, w: casework_selectors.group_list(user=u, q="矩阵小组"),
    ),
    Case_(
        "casework:activity_export",
        "casework:activity_list",
        Activity,
        "activities",
        "社区活动",
        lambda w: {"q": "矩阵活动"},
        lambda u, w: casework_selectors.activity_list(
            user=u, filters=casework_selectors.ActivityFilters(q="矩阵活动")
        ),
    ),
    Case_(
        "needs:need_export",
        "needs:need_list",
        Need,
        "needs",
        "需求清单",
        lambda w: {"region": w.tree.community_a.code},
        lambda u, w: need_selectors.need_list(
            user=u, filters=need_selectors.NeedFilters(region=w.tree.community_a)
        ),
    ),
    Case_(
        "needs:problem_export",
        "needs:problem_list",
        Problem,
        "problems",
        "问题清单",
        lambda w: {"status": ProblemStatus.OPEN},
        lambda u, w: need_selectors.problem_list(
            user=u, filters=need_selectors.ProblemFilters(status=ProblemStatus.OPEN)
        ),
    ),
    Case_(
        "partners:organization_export",
        "partners:organization_list",
        Organization,
        "organizations",
        "社会组织与单位",
        lambda w: {"kind": OrganizationKind.PROFESSIONAL},
        lambda u, w: partner_selectors.organization_list(
            user=u, filters=partner_selectors.OrganizationFilters(kind=OrganizationKind.PROFESSIONAL)
        ),
    ),
    Case_(
        "partners:resource_export",
        "partners:resource_list",
        Resource,
        "resources",
        "资源清单",
        lambda w: {"q": "甲资源"},
        lambda u, w: partner_selectors.resource_list(
            user=u, filters=partner_selectors.ResourceFilters(q="甲资源")
        ),
    ),
    Case_(
        "partners:responsibility_export",
        "partners:responsibility_list",
        ResponsibilityUnit,
        "responsibilities",
        "责任清单",
        _none,
        lambda u, w: partner_selectors.responsibility_unit_list(user=u),
    ),
    Case_(
        "projects:project_export",
        "projects:project_list",
        Project,
        "projects",
        "项目清单",
        _none,
        lambda u, w: project_selectors.project_list(user=u),
    ),
    Case_(
        "visits:visit_export",
        "visits:visit_list",
        Visit,
        "visits",
        "走访记录",
        lambda w: {"region": w.tree.community_a.code},
        lambda u, w: visit_selectors.visit_list(
            user=u, filters=visit_selectors.VisitFilters(region=w.tree.community_a)
        ),
    ),
    Case_(
        "visits:coverage_export",
        "visits:coverage",
        Household,
        "coverage",
        "待走访名单",
        lambda w: {"region": w.tree.community_a.code, "days": "30"},
        lambda u, w: visit_selectors.coverage_list(
            user=u, filters=visit_selectors.CoverageFilters(region=w.tree.community_a, days=30)
        ),
    ),
    Case_(
        "volunteers:team_export",
        "volunteers:team_list",
        Team,
        "teams",
        "志愿服务队",
        lambda w: {"q": "矩阵志愿服务队"},
        lambda u, w: volunteer_selectors.team_list(user=u, q="矩阵志愿服务队"),
    ),
    Case_(
        "volunteers:volunteer_export",
        "volunteers:volunteer_list",
        Volunteer,
        "volunteers",
        "志愿者",
        lambda w: {"q": "矩阵志愿者"},
        lambda u, w: volunteer_selectors.volunteer_list(
            user=u, filters=volunteer_selectors.VolunteerFilters(q="矩阵志愿者")
        ),
    ),
]
BY_URL = {c.url: c for c in CASES}


def _sheet(response: Any) -> list[list[Any]]:
    assert response["Content-Type"] == XLSX
    data = response.getvalue()
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _cell(value: Any) -> Any:
    """A cell as the workbook gives it back: days for dates, floats for numbers, text otherwise."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    return str(value)


def _listed(response: Any) -> list[Any]:
    """The records a list page lists (all its pages)."""
    context = response.context
    if "page_obj" in context:
        return list(context["page_obj"].paginator.object_list)
    return list(context["studios"])


@pytest.mark.parametrize("url", sorted(BY_URL))
def test_export_holds_exactly_the_list_pages_records(url: str, world: World, users: Any) -> None:
    case = BY_URL[url]
    client = login(users.street_admin)
    params = case.params(world)
    expected = list(case.records(users.street_admin, world))
    assert expected, "the filter must leave records to export"

    # the list page with the same filter lists the same records, and the filter does filter
    listed = _listed(client.get(reverse(case.list_url), params))
    assert [r.pk for r in listed] == [r.pk for r in expected]
    if params:
        everything = _listed(client.get(reverse(case.list_url)))
        assert len(everything) > len(listed), "the filter must leave out some of the list's records"

    response = client.get(reverse(url), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = _sheet(response)
    assert case.title in rows[0][0]
    headings, presented = rows_for(expected, case.model)
    assert rows[1] == headings == [str(c.label) for c in presenter_for(case.model).columns]
    data = rows[2:]
    assert len(data) == len(expected)
    assert [[_cell(v) for v in r] for r in data] == [[_cell(v) for v in row.cells] for row in presented]

    cells = [str(c) for r in rows for c in r]
    assert not any(SIBLING_MARK in c for c in cells), "a record of the sibling street was exported"
    secrets = [p.id_number for p in world.people] + [p.phone for p in world.people] + [REQUESTER_PHONE]
    for secret in secrets:
        assert not any(secret in c for c in cells), "a full ID number or phone was exported"

    event = AccessEvent.objects.get(kind=AccessEventKind.EXPORT)
    assert event.user == users.street_admin
    assert event.detail["export"] == case.export
    assert event.detail["rows"] == len(expected)
    assert event.detail["filters"] == params
    assert event.detail["revealed"] is False


@pytest.mark.parametrize("url", sorted(BY_URL))
def test_export_needs_the_export_permission(url: str, world: World, users: Any) -> None:
    response = login(users.nobody).get(reverse(url), BY_URL[url].params(world))
    assert response.status_code == 403
    assert not AccessEvent.objects.filter(kind=AccessEventKind.EXPORT).exists()
    assert login(users.street_admin).post(reverse(url)).status_code == 405  # GET only


@pytest.mark.parametrize("url", sorted(BY_URL))
def test_a_worker_exports_only_their_community(url: str, world: World, users: Any) -> None:
    """A social worker of 甲社区 exports what the list shows them: nothing of 乙社区 or 彭李街道."""
    case = BY_URL[url]
    expected = list(case.records(users.worker_a, world))
    rows = _sheet(login(users.worker_a).get(reverse(url), case.params(world)))
    assert len(rows) - 2 == len(expected)
    cells = [str(c) for r in rows for c in r]
    assert not any(SIBLING_MARK in c or "乙" in c for c in cells)


@pytest.mark.parametrize("name", [c.list_url for c in CASES])
def test_the_list_page_links_its_export_with_its_filters(name: str, world: World, users: Any) -> None:
    case = next(c for c in CASES if c.list_url == name)
    params = case.params(world)
    page = login(users.street_admin).get(reverse(name), {**params, "page": "1"}).content.decode()
    link = reverse(case.url)
    assert f'href="{link}' in page
    for key in params:
        assert f"{key}=" in page.split(f'href="{link}', 1)[1].split('"', 1)[0]
    assert "page=1" not in page.split(f'href="{link}', 1)[1].split('"', 1)[0]
    worker_page = login(users.nobody).get(reverse(name)).content.decode()
    assert f'href="{link}' not in worker_page


def test_exports_in_english(world: World, users: Any) -> None:
    """In English the title, the sheet and the headings are English (the sheet name is valid)."""
    from django.utils import translation

    client = login(users.street_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # the language switch
    for case in CASES:
        rows = _sheet(client.get(reverse(case.url), case.params(world)))
        with translation.override("en"):
            title = translation.gettext(case.title)
            headings = [str(c.label) for c in presenter_for(case.model).columns]
        assert title != case.title and title in rows[0][0], case.url
        assert rows[1] == headings, case.url
