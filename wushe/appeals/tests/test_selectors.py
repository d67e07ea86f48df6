"""The scoped reads of studios and requests: what is in scope and nothing outside it, and the
request list's filters and orderings."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404

from tests.factories import OrganizationFactory, UserFactory
from wushe.accounts.roles import Role
from wushe.appeals import selectors, services
from wushe.appeals.models import Appeal, AppealStep, Step
from wushe.appeals.selectors import AppealFilters
from wushe.partners.models import OrganizationKind

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 9) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def register(region: Any, when: datetime.datetime, *, studio: Any = None, **kw: Any) -> Appeal:
    kw.setdefault("category", "help")
    kw.setdefault("content", "楼道灯坏了")
    kw.setdefault("requester_name", "张大爷")
    return services.appeal_register(
        acting_user=None, channel="walk_in", region=region, studio=studio, at=when, **kw
    )


@pytest.fixture
def appeals(tree: Any, studio: Any) -> dict[str, Appeal]:
    """One request per community (甲 through the studio), one in the other street."""
    return {
        "a": register(tree.grid_a, at(2026, 11, 2), studio=studio, content="加装扶手"),
        "b": register(tree.community_b, at(2026, 11, 4), category="consult", requester_name="李阿姨"),
        "c": register(tree.community_c, at(2026, 11, 3)),
    }


def numbers(qs: Any) -> list[str]:
    return [a.number for a in qs]


def test_appeal_list_keeps_each_user_to_their_scope(appeals: dict[str, Appeal], users: Any) -> None:
    a, b, c = appeals["a"], appeals["b"], appeals["c"]
    assert numbers(selectors.appeal_list(user=users.worker_a)) == [a.number]
    assert numbers(selectors.appeal_list(user=users.worker_b)) == [b.number]
    assert numbers(selectors.appeal_list(user=users.street_admin)) == [b.number, a.number]  # newest first
    assert numbers(selectors.appeal_list(user=users.admin)) == [b.number, c.number, a.number]
    assert numbers(selectors.appeal_list(user=users.nobody)) == []


def test_a_studio_member_sees_the_studios_requests_only(appeals: dict[str, Appeal], studio: Any) -> None:
    member = UserFactory(username="studio_member", role=Role.STUDIO, organization=studio.organization)
    assert numbers(selectors.appeal_list(user=member)) == [appeals["a"].number]
    with pytest.raises(Http404):
        selectors.get_appeal_for_user(user=member, pk=appeals["b"].pk)


def test_appeal_list_filters(appeals: dict[str, Appeal], users: Any, studio: Any, tree: Any) -> None:
    a, b = appeals["a"], appeals["b"]
    street = users.street_admin

    def filtered(**kw: Any) -> list[str]:
        return numbers(selectors.appeal_list(user=street, filters=AppealFilters(**kw)))

    assert filtered(category="consult") == [b.number]
    assert filtered(studio=studio.pk) == [a.number]
    assert filtered(region=tree.community_a) == [a.number]  # the grid's request, in its community
    assert filtered(region=tree.community_c) == []  # a region outside the scope adds nothing
    assert filtered(q="李阿") == [b.number]  # the requester's name
    assert filtered(q="扶手") == [a.number]  # the content
    assert filtered(q=f"  {a.number.lower()} ") == [a.number]  # the number, whole, any case
    assert filtered(q=a.number[:-1]) == []  # …not a part of it
    assert filtered(step=Step.RECEIVE) == []  # a new request waits at 接待 …
    assert filtered(step=Step.REGISTER) == [b.number, a.number]  # … its step is still 登记


def test_overdue_requests_come_by_deadline(appeals: dict[str, Appeal], users: Any) -> None:
    a, b = appeals["a"], appeals["b"]
    assert a.due_on is not None and b.due_on is not None and a.due_on < b.due_on
    overdue = selectors.appeal_list(user=users.street_admin, filters=AppealFilters(overdue=True))
    assert numbers(overdue) == [a.number, b.number]  # earliest deadline first (2026 is past)
    c = appeals["c"]
    assert c.due_on is not None and a.due_on < c.due_on < b.due_on
    Appeal.objects.filter(pk=a.pk).update(step=Step.ARCHIVE)  # an archived request is never overdue
    day_after_c = c.due_on + datetime.timedelta(days=1)
    assert numbers(selectors.overdue(Appeal.objects.all(), on=day_after_c)) == [c.number]
    assert list(selectors.overdue(Appeal.objects.all(), on=datetime.date(2026, 11, 1))) == []


def test_get_appeal_for_user_is_a_404_out_of_scope(appeals: dict[str, Appeal], users: Any) -> None:
    assert selectors.get_appeal_for_user(user=users.worker_a, pk=appeals["a"].pk) == appeals["a"]
    for pk in (appeals["b"].pk, appeals["c"].pk, 10**9):
        with pytest.raises(Http404):
            selectors.get_appeal_for_user(user=users.worker_a, pk=pk)


def test_studio_list_counts_requests_and_keeps_to_scope(
    appeals: dict[str, Appeal], studio: Any, tree: Any, users: Any
) -> None:
    org_b = OrganizationFactory(region=tree.community_b, kind=OrganizationKind.STUDIO, name="乙社区工作室")
    studio_b = services.studio_create(acting_user=None, organization=org_b)
    org_c = OrganizationFactory(region=tree.community_c, kind=OrganizationKind.STUDIO, name="丙社区工作室")
    services.studio_create(acting_user=None, organization=org_c)
    register(tree.community_a, at(2026, 11, 5), studio=studio)
    Appeal.objects.filter(pk=appeals["a"].pk).update(step=Step.ARCHIVE)
    rows = list(selectors.studio_list(user=users.street_admin))
    assert [s.organization.name for s in rows] == ["甲社区工作室", "乙社区工作室"]  # by region code
    assert (rows[0].appeal_count, rows[0].open_count) == (2, 1)  # type: ignore[attr-defined]
    assert (rows[1].appeal_count, rows[1].open_count) == (0, 0)  # type: ignore[attr-defined]
    assert [s.pk for s in selectors.studio_list(user=users.worker_b)] == [studio_b.pk]
    assert [s.pk for s in selectors.studio_choices(user=users.street_admin)] == [studio_b.pk, studio.pk]
    assert selectors.studio_choices(user=users.nobody) == []
    assert selectors.get_studio_for_user(user=users.worker_a, pk=studio.pk) == studio
    with pytest.raises(Http404):
        selectors.get_studio_for_user(user=users.worker_a, pk=studio_b.pk)


def test_steps_overdue_are_the_open_steps_past_their_deadline_in_scope(
    appeals: dict[str, Appeal], users: Any
) -> None:
    mine = selectors.steps_overdue(user=users.worker_a)
    assert [(s.appeal_id, s.step) for s in mine] == [(appeals["a"].pk, Step.RECEIVE)]
    assert AppealStep.objects.filter(appeal=appeals["a"]).count() == 2  # the done 登记 is not overdue
    assert {s.appeal_id for s in selectors.steps_overdue(user=users.street_admin)} == {
        appeals["a"].pk,
        appeals["b"].pk,
    }
    assert list(selectors.steps_overdue(user=users.nobody)) == []
