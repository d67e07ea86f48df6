"""The whole view of a person and of a household (issue 16 item 3): their pages show each kind of
record the apps keep — household and members, tags, certificate and ledger colour, visits, needs,
problems, cases, groups, activities attended, requests, volunteer service given and received —
each section scoped to what the viewer may open, reading a fixed number of queries however many
records there are, with its actions only for those who may take them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wushe.appeals.services import appeal_register
from wushe.casework.services import case_open, group_create, group_session_record
from wushe.core import sections
from wushe.needs.services import need_create, problem_create
from wushe.partners.models import OrganizationKind
from wushe.partners.services import organization_create
from wushe.registry import services as registry
from wushe.registry.household_tags import household_tags_set
from wushe.visits.services import VisitInput, visit_record
from wushe.volunteers.services import service_record_log, team_create, volunteer_create

from .conftest import login
from .factories import PersonFactory
from .outreach_factories import units_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
KINDS = ("household", "tags", "certificate", "visits", "needs", "problems", "cases", "groups")
KINDS += ("activities", "appeals", "volunteering")


@dataclass
class Family:
    household: Any
    head: Any
    son: Any


def _team(region: Any, name: str) -> Any:
    org = organization_create(
        acting_user=None, region=region, kind=OrganizationKind.VOLUNTEER_TEAM, name=name
    )
    return team_create(acting_user=None, organization=org)


def _records(family: Family, region: Any, grid: Any, tag: str, n: int = 1) -> None:
    """``n`` records of each kind about the family (the head's, the son's, the household's)."""
    head, son, household = family.head, family.son, family.household
    team = _team(region, f"志愿服务队{tag}")
    volunteer = volunteer_create(
        acting_user=None, team=team, name=son.name, joined_on=TODAY - datetime.timedelta(days=400), person=son
    )
    group = group_create(
        acting_user=None,
        region=grid,
        name=f"互助小组{tag}",
        goal="互助",
        starts_on=TODAY - datetime.timedelta(days=30),
        members=[head, son],
    )
    for i in range(n):
        day = TODAY - datetime.timedelta(days=i + 1)
        visit_record(
            acting_user=None,
            data=VisitInput(visited_on=day, household=household, key_problem=f"走访问题{tag}{i}"),
        )
        need_create(acting_user=None, person=head, category="rehab", description=f"康复需求{tag}{i}")
        need_create(acting_user=None, household=household, category="psych", description=f"户的需求{tag}{i}")
        problem_create(acting_user=None, person=son, description=f"发现问题{tag}{i}")
        case_open(acting_user=None, person=head, reason=f"接案{tag}{i}", opened_on=day)
        group_session_record(
            acting_user=None, group=group, on=day, topic=f"小组活动{tag}{i}", attendees=[son]
        )
        appeal_register(
            acting_user=None, channel="visit", category="help", content=f"诉求{tag}{i}", person=head
        )
        service_record_log(
            acting_user=None, volunteer=volunteer, on=day, hours="1", kind="meal", content=f"送餐{tag}{i}"
        )
        service_record_log(
            acting_user=None,
            volunteer=volunteer,
            on=day,
            hours="1",
            kind="company",
            content=f"陪伴{tag}{i}",
            recipient=head,
        )


def _family(grid: Any, tag: str) -> Family:
    head = PersonFactory(name=f"户主{tag}", region=grid, category=4, level=2)
    household = registry.household_create(acting_user=None, head=head, address=f"幸福路{tag}号")
    son = PersonFactory(name=f"儿子{tag}", region=grid)
    registry.household_add_member(acting_user=None, household=household, person=son, relation="child")
    registry.person_tags_set(acting_user=None, person=head, tags=["veteran"])
    household_tags_set(acting_user=None, household=household, tags=["dibao"])
    return Family(household, head, son)


@pytest.fixture(autouse=True)
def _units(tree: Any) -> None:
    units_for(tree.street, [tree.community_a, tree.community_b])


@pytest.fixture
def family(tree: Any) -> Family:
    family = _family(tree.grid_a, "甲")
    _records(family, tree.community_a, tree.grid_a, "甲")
    return family


def html(response: Any) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_person_page_shows_every_kind_of_record(users: Any, family: Family) -> None:
    page = html(login(users.worker_a).get(reverse("registry:person_detail", args=[family.head.pk])))
    for key in KINDS:
        assert f'id="section-{key}"' in page, key
    for text in (
        "户主甲户",  # the household, named by its head
        "儿子甲",  # a member
        "低保",  # the household's tag
        "肢体",  # the certificate, and its colour in words
        "蓝色",
        "走访问题甲0",  # a visit to the household
        "康复需求甲0",  # the person's own need, and the household's need naming no member
        "户的需求甲0",
        "接案",
        "互助小组甲",
        "诉求甲0",
        "陪伴甲0",  # volunteer service received
    ):
        assert text in page, text
    assert "发现问题甲0" not in page  # the son's problem is his, not his father's
    assert "小组活动甲0" not in page  # the son attended, not the father
    for label in ("记录走访", "登记需求", "开个案", "登记诉求"):
        assert label in page, label


def test_the_household_page_shows_every_members_records(users: Any, family: Family) -> None:
    page = html(login(users.worker_a).get(reverse("registry:household_detail", args=[family.household.pk])))
    for key in KINDS:
        assert f'id="section-{key}"' in page, key
    for text in ("发现问题甲0", "小组活动甲0", "送餐甲0", "陪伴甲0", "康复需求甲0", "诉求甲0", "添加成员"):
        assert text in page, text
    son_page = html(login(users.worker_a).get(reverse("registry:person_detail", args=[family.son.pk])))
    assert "送餐甲0" in son_page and "提供服务" in son_page  # service given, as a volunteer
    assert "小组活动甲0" in son_page


def test_a_section_links_to_its_full_list_filtered_on_the_subject(users: Any, tree: Any) -> None:
    family = _family(tree.grid_a, "甲")
    _records(family, tree.community_a, tree.grid_a, "甲", n=7)
    other = _family(tree.grid_a, "丙")
    _records(other, tree.community_a, tree.grid_a, "丙")
    client = login(users.worker_a)
    page = html(client.get(reverse("registry:person_detail", args=[family.head.pk])))
    for name in ("visits:visit_list", "needs:need_list", "casework:case_list", "appeals:appeal_list"):
        url = reverse(name) + f"?person={family.head.pk}"
        assert url.replace("&", "&amp;") in page or url in page, name
        listed = html(client.get(url))
        assert "户主甲" in listed and "户主丙" not in listed and "只显示" in listed, name
    needs = html(client.get(reverse("needs:need_list") + f"?household={family.household.pk}"))
    assert "康复需求甲6" in needs and "户的需求甲6" in needs and "康复需求丙0" not in needs


FACT_READERS = {"subsidies": 26}


def test_sections_read_a_fixed_number_of_queries(users: Any, tree: Any) -> None:
    few, many = _family(tree.grid_a, "甲"), _family(tree.grid_a, "乙")
    _records(few, tree.community_a, tree.grid_a, "甲", n=1)
    _records(many, tree.community_a, tree.grid_a, "乙", n=7)

    def per_section(kind: str, subject: Any) -> dict[str, int]:
        counts = {}
        for section in sections.sections_for(kind):
            reader = section.reader(kind)
            assert reader is not None
            fresh = type(subject).objects.get(pk=subject.pk)
            with CaptureQueriesContext(connection) as ctx:
                reader(fresh, users.worker_a)
            counts[section.key] = len(ctx.captured_queries)
        return counts

    for kind, a, b in (("person", few.head, many.head), ("household", few.household, many.household)):
        per_section(kind, a)  # the viewer's grants, read once and kept on the user
        small, large = per_section(kind, a), per_section(kind, b)
        assert small == large, kind
        # the subsidies section decides eligibility with reasons: the rule engine reads the person's
        # dated facts from every provider (certificates, tags, household, checks) — fixed, not per record
        assert all(n <= FACT_READERS.get(key, 4) for key, n in large.items()), large
    client = login(users.worker_a)
    client.get(reverse("registry:person_detail", args=[many.head.pk]))  # sessions, grants: warmed
    with CaptureQueriesContext(connection) as ctx:
        html(client.get(reverse("registry:person_detail", args=[many.head.pk])))
    assert len(ctx.captured_queries) <= 72  # the sections above (the subsidies' facts 25) and the page's own


def test_a_section_never_shows_a_record_outside_the_viewers_scope(tree: Any, users: Any) -> None:
    """A resident who moved from 乙社区 to 甲社区: the records kept in 乙社区 stay there."""
    family = _family(tree.grid_b, "乙")
    _records(family, tree.community_b, tree.grid_b, "乙")
    registry.person_move(
        acting_user=None, person=family.head, region=tree.grid_a
    )  # the household moves along
    page = html(login(users.worker_a).get(reverse("registry:person_detail", args=[family.head.pk])))
    for text in ("走访问题乙0", "康复需求乙0", "诉求乙0", "陪伴乙0", "接案乙0"):
        assert text not in page, text
    street = html(login(users.street_admin).get(reverse("registry:person_detail", args=[family.head.pk])))
    for text in ("走访问题乙0", "康复需求乙0", "诉求乙0", "陪伴乙0"):
        assert text in street, text


def test_actions_only_for_those_who_may_take_them(users: Any, family: Family) -> None:
    page = html(login(users.leader).get(reverse("registry:person_detail", args=[family.head.pk])))
    for label in ("记录走访", "登记需求", "开个案", "登记诉求", "加入或新建户", "登记为志愿者"):
        assert label not in page, label
    household = html(
        login(users.leader).get(reverse("registry:household_detail", args=[family.household.pk]))
    )
    assert "添加成员" not in household and "修改户类别" not in household


def test_lists_name_people_and_households_never_by_number(users: Any, family: Family) -> None:
    client = login(users.worker_a)
    for url in (
        reverse("visits:visit_list"),
        reverse("needs:need_list"),
        reverse("needs:problem_list"),
        reverse("visits:coverage") + "?days=1",
        reverse("visits:visit_detail", args=[family.household.visits.first().pk]),
        reverse("needs:need_detail", args=[family.household.needs.filter(person=None).first().pk]),
    ):
        page = html(client.get(url))
        assert "户 #" not in page and "Household #" not in page, url
        assert "户主甲户" in page or "儿子甲" in page, url
