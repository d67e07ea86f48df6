"""Requests on the home page: waiting at the user's step (the studio's steps, the responsible
unit's 处理), overdue, and every overdue request for those who supervise — never another street's;
the request list behind each link shows the same requests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import OrganizationFactory, PersonFactory, UserFactory
from tests.home_support import applies, listed, todo
from wushe.accounts.roles import Role
from wushe.appeals.services import appeal_receive, appeal_refer, appeal_register, studio_create
from wushe.partners.models import OrganizationKind
from wushe.partners.services import responsibility_unit_create

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=40)


def _studio(region: Any, name: str) -> Any:
    org = OrganizationFactory(region=region, kind=OrganizationKind.STUDIO, name=name)
    return studio_create(acting_user=None, organization=org)


def _appeal(studio: Any, region: Any, text: str, at: Any = None) -> Any:
    return appeal_register(
        acting_user=None,
        studio=studio,
        region=region,
        channel="walk_in",
        category="help",
        content=text,
        requester_name="诉求人",
        at=at,
    )


def _numbers(item: Any) -> set[str]:
    return {e.label.split(" ", 1)[0] for e in item.first}


def test_requests_waiting_at_the_studios_and_the_units_steps(tree: Any, users: Any) -> None:
    studio = _studio(tree.community_a, "甲社区工作室")
    other_studio = _studio(tree.community_c, "丙社区工作室")  # another street
    fresh = _appeal(studio, tree.community_a, "刚登记")
    late = _appeal(studio, tree.community_a, "早已登记", at=LONG_AGO)
    _appeal(other_studio, tree.community_c, "丙社区的诉求", at=LONG_AGO)
    studio_user = UserFactory(username="studio_user", role=Role.STUDIO, organization=studio.organization)
    waiting = todo(studio_user, "appeals.waiting")
    assert waiting.count == 2 and _numbers(waiting) == {fresh.number, late.number}
    assert "待接待" in waiting.first[0].label
    assert listed(studio_user, waiting) == 2
    overdue = todo(studio_user, "appeals.waiting_overdue")
    assert overdue.count == 1 and _numbers(overdue) == {late.number}
    assert listed(studio_user, overdue) == 1

    # 转办 to an organization's unit: 处理 is the organization's, no longer the studio's
    org = OrganizationFactory(region=tree.street, kind=OrganizationKind.PROFESSIONAL, name="承办机构")
    org_unit = responsibility_unit_create(
        acting_user=None, region=tree.street, kind="organization", organization=org
    )
    appeal_receive(acting_user=None, appeal=fresh, note="接待")
    appeal_refer(acting_user=None, appeal=fresh, unit=org_unit)
    assert _numbers(todo(studio_user, "appeals.waiting")) == {late.number}
    staff = UserFactory(username="unit_staff", role=Role.ORG_STAFF, organization=org)
    handle = todo(staff, "appeals.waiting")
    assert handle.count == 1 and _numbers(handle) == {fresh.number} and "待处理" in handle.first[0].label
    assert listed(staff, handle) == 1
    # nor the region's workers': an organization handles it
    assert todo(users.worker_a, "appeals.waiting").count == 0


def test_a_request_referred_to_a_regions_unit_waits_for_that_regions_staff(tree: Any, users: Any) -> None:
    person = PersonFactory(region=tree.grid_a)
    appeal = appeal_register(
        acting_user=None, channel="visit", category="help", content="入户收集", person=person
    )  # no studio: collected on a visit, the community's to move on
    assert _numbers(todo(users.worker_a, "appeals.waiting")) == {appeal.number}
    assert todo(users.worker_b, "appeals.waiting").count == 0
    station = responsibility_unit_create(
        acting_user=None, region=tree.street, kind="civil_affairs", name="民政所"
    )
    appeal_receive(acting_user=None, appeal=appeal, note="接待")
    appeal_refer(acting_user=None, appeal=appeal, unit=station)
    assert todo(users.worker_a, "appeals.waiting").count == 0  # the street's 民政所 handles it
    assert _numbers(todo(users.street_admin, "appeals.waiting")) == {appeal.number}


def test_those_who_supervise_see_every_overdue_request_in_their_area(tree: Any, users: Any) -> None:
    studio = _studio(tree.community_a, "甲社区工作室")
    late = _appeal(studio, tree.community_a, "早已登记", at=LONG_AGO)
    _appeal(studio, tree.community_a, "刚登记")
    _appeal(_studio(tree.community_c, "丙社区工作室"), tree.community_c, "丙社区", at=LONG_AGO)
    for supervisor in (users.street_admin, users.leader):
        item = todo(supervisor, "appeals.overdue")
        assert item.count == 1 and _numbers(item) == {late.number}
        assert listed(supervisor, item) == 1
    assert not applies(users.worker_a, "appeals.overdue")
    assert not applies(users.leader, "appeals.waiting")  # the 领导 handles no request
