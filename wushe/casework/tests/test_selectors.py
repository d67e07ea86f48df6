"""The scoped reads of cases, groups and activities: what is in scope and nothing outside it, and
the lists' filters and orderings."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.http import Http404

from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.casework import selectors, services
from wushe.casework.models import Case, CaseStage
from wushe.casework.selectors import ActivityFilters, CaseFilters
from wushe.partners.models import OrganizationKind

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


@pytest.fixture
def cases(tree: Any, users: Any, person_a: Any, person_b: Any, org_a: Any) -> dict[str, Case]:
    """A case in each community of the street (甲's taken by org_a, worked by worker_a) and one in
    the other street."""
    person_c = PersonFactory(name="王五", region=tree.community_c)
    return {
        "a": services.case_open(
            acting_user=None, person=person_a, reason="照护压力", opened_on=days(0), organization=org_a,
            worker=users.worker_a, next_due=days(20),
        ),
        "b": services.case_open(
            acting_user=None, person=person_b, reason="就业", opened_on=days(2), next_due=days(10)
        ),
        "c": services.case_open(acting_user=None, person=person_c, reason="就医", opened_on=days(1)),
    }  # fmt: skip


def pks(qs: Any) -> list[int]:
    return [o.pk for o in qs]


def test_case_list_keeps_each_user_to_their_scope(cases: dict[str, Case], users: Any) -> None:
    a, b, c = cases["a"], cases["b"], cases["c"]
    assert pks(selectors.case_list(user=users.worker_a)) == [a.pk]
    assert pks(selectors.case_list(user=users.worker_b)) == [b.pk]
    assert pks(selectors.case_list(user=users.street_admin)) == [b.pk, a.pk]  # newest opened first
    assert pks(selectors.case_list(user=users.admin)) == [b.pk, c.pk, a.pk]
    assert pks(selectors.case_list(user=users.nobody)) == []


def test_an_organizations_staff_see_its_cases_only(cases: dict[str, Case], org_a: Any) -> None:
    staff = UserFactory(username="org_staff", role=Role.ORG_STAFF, organization=org_a)
    assert pks(selectors.case_list(user=staff)) == [cases["a"].pk]
    with pytest.raises(Http404):
        selectors.get_case_for_user(user=staff, pk=cases["b"].pk)


def test_case_list_filters(cases: dict[str, Case], users: Any, tree: Any) -> None:
    a, b = cases["a"], cases["b"]

    def filtered(user: Any = users.street_admin, **kw: Any) -> list[int]:
        return pks(selectors.case_list(user=user, filters=CaseFilters(**kw)))

    assert filtered(region=tree.community_a) == [a.pk]  # the grid's case, in its community
    assert filtered(region=tree.community_c) == []  # outside the scope: nothing added
    assert filtered(q="李四") == [b.pk]  # the person's name
    assert filtered(q=f" {a.number} ") == [a.pk]  # the number
    assert filtered(stage=CaseStage.INTAKE) == [b.pk, a.pk]
    Case.objects.filter(pk=b.pk).update(stage=CaseStage.CLOSED)
    assert filtered(stage=CaseStage.CLOSED) == [b.pk]
    assert filtered(open_only=True) == [a.pk]
    assert filtered(user=users.worker_a, mine=True) == [a.pk]  # the worker's own
    assert filtered(user=users.street_admin, mine=True) == []


def test_cases_due_come_by_their_next_date(cases: dict[str, Case], users: Any) -> None:
    a, b = cases["a"], cases["b"]
    due = selectors.case_list(user=users.street_admin, filters=CaseFilters(due_by=days(30)))
    assert pks(due) == [b.pk, a.pk]  # the nearest next date first, cases without one left out
    assert pks(selectors.case_list(user=users.street_admin, filters=CaseFilters(due_by=days(15)))) == [b.pk]


def test_get_case_for_user_is_a_404_out_of_scope(cases: dict[str, Case], users: Any) -> None:
    assert selectors.get_case_for_user(user=users.worker_a, pk=cases["a"].pk) == cases["a"]
    for pk in (cases["b"].pk, cases["c"].pk, 10**9):
        with pytest.raises(Http404):
            selectors.get_case_for_user(user=users.worker_a, pk=pk)
    steps, services_ = selectors.case_timeline(cases["a"])
    assert [s.kind for s in steps] == ["intake"] and services_ == []


def test_group_list_scope_search_and_counts(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    g_a = services.group_create(
        acting_user=None, region=tree.grid_a, name="照护者互助小组", goal="互助", starts_on=days(0),
        members=[person_a],
    )  # fmt: skip
    g_b = services.group_create(
        acting_user=None, region=tree.community_b, name="就业小组", goal="就业", starts_on=days(3)
    )
    g_c = services.group_create(
        acting_user=None, region=tree.community_c, name="丙社区小组", goal="康复", starts_on=days(1)
    )
    assert pks(selectors.group_list(user=users.street_admin)) == [g_b.pk, g_a.pk]  # latest start first
    assert pks(selectors.group_list(user=users.worker_a)) == [g_a.pk]
    assert pks(selectors.group_list(user=users.admin)) == [g_b.pk, g_c.pk, g_a.pk]
    assert pks(selectors.group_list(user=users.street_admin, q=" 互助 ")) == [g_a.pk]
    assert pks(selectors.group_list(user=users.street_admin, region=tree.community_b)) == [g_b.pk]
    row = selectors.group_list(user=users.street_admin).get(pk=g_a.pk)
    assert (row.member_count, row.session_count) == (1, 0)  # type: ignore[attr-defined]
    assert [p.name for p in selectors.group_members(g_a)] == [person_a.name]
    assert selectors.group_sessions(g_a) == []
    assert selectors.get_group_for_user(user=users.worker_a, pk=g_a.pk) == g_a
    with pytest.raises(Http404):
        selectors.get_group_for_user(user=users.worker_a, pk=g_b.pk)


def test_activity_list_scope_filters_and_photos(tree: Any, users: Any) -> None:
    def activity(
        region: Any, title: str, on: datetime.date, kind: str = "community", place: str = "活动室"
    ) -> Any:
        return services.activity_create(
            acting_user=None, region=region, kind=kind, title=title, on=on, place=place
        )

    a1 = activity(tree.grid_a, "重阳节包饺子", days(0))
    a2 = activity(tree.community_a, "助残日宣传", days(5), kind="publicity", place="广场")
    b1 = activity(tree.community_b, "健康讲座", days(3))
    c1 = activity(tree.community_c, "丙社区活动", days(4))
    street = users.street_admin

    def filtered(**kw: Any) -> list[int]:
        return pks(selectors.activity_list(user=street, filters=ActivityFilters(**kw)))

    assert filtered() == [a2.pk, b1.pk, a1.pk]  # latest first
    assert pks(selectors.activity_list(user=users.worker_b)) == [b1.pk]
    assert c1.pk in pks(selectors.activity_list(user=users.admin))
    assert filtered(kind="publicity") == [a2.pk]
    assert filtered(region=tree.community_a) == [a2.pk, a1.pk]
    assert filtered(start=days(1), end=days(4)) == [b1.pk]
    assert filtered(start=days(3)) == [a2.pk, b1.pk]
    assert filtered(q="广场") == [a2.pk]  # the place
    assert filtered(q="饺子") == [a1.pk]  # the title
    photo = services.activity_photo_add(acting_user=None, activity=b1, fileobj=io.BytesIO(PNG))
    assert selectors.get_photo_for_user(user=users.worker_b, pk=photo.pk) == photo
    for user in (users.worker_a, users.nobody):
        with pytest.raises(Http404):
            selectors.get_photo_for_user(user=user, pk=photo.pk)
        with pytest.raises(Http404):
            selectors.get_activity_for_user(user=user, pk=b1.pk)


def test_service_organizations_are_the_usable_ones_of_the_kinds(tree: Any, users: Any, org_a: Any) -> None:
    community_org = OrganizationFactory(
        region=tree.community_a, kind=OrganizationKind.COMMUNITY, name="甲社区志愿协会"
    )
    OrganizationFactory(region=tree.community_b, kind=OrganizationKind.COMMUNITY, name="乙社区协会")
    OrganizationFactory(region=tree.community_c, kind=OrganizationKind.PROFESSIONAL, name="别的街道机构")
    OrganizationFactory(region=tree.street, kind=OrganizationKind.ENTERPRISE, name="企业")
    kinds = (OrganizationKind.PROFESSIONAL, OrganizationKind.COMMUNITY)
    found = selectors.service_organizations(user=users.worker_a, kinds=kinds)
    # the street's organization serves its communities; 乙's and the other street's are not 甲's
    assert [o.pk for o in found] == [community_org.pk, org_a.pk]  # by kind ("community" first), name
