"""The scoped reads of teams, volunteers, service records and proofs: what is in scope and
nothing outside it (a team leader sees their team only), and the lists' filters, orderings and
totals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from tests.factories import OrganizationFactory
from wushe.partners.models import OrganizationKind
from wushe.volunteers import selectors, services
from wushe.volunteers.models import RecordStatus, ServiceRecord, Team, Volunteer
from wushe.volunteers.selectors import VolunteerFilters

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2026, 9, 1)
DAY = datetime.date(2026, 11, 2)


def volunteer(team: Team, name: str) -> Volunteer:
    return services.volunteer_create(acting_user=None, team=team, name=name, joined_on=JOINED)


def log(v: Volunteer, hours: str, *, verified: bool, on: datetime.date = DAY) -> ServiceRecord:
    record = services.service_record_log(
        acting_user=None, volunteer=v, on=on, hours=hours, kind="meal", content="送餐"
    )
    if verified:
        ServiceRecord.objects.filter(pk=record.pk).update(status=RecordStatus.VERIFIED)
    return record


@pytest.fixture
def far_team(tree: Any) -> Team:
    org = OrganizationFactory(
        region=tree.community_c, kind=OrganizationKind.VOLUNTEER_TEAM, name="丙社区志愿服务队"
    )
    return services.team_create(acting_user=None, organization=org)


def pks(qs: Any) -> list[int]:
    return [o.pk for o in qs]


def test_team_list_scope_search_and_counts(
    team: Team, other_team: Team, far_team: Team, users: Any, tree: Any
) -> None:
    volunteer(team, "甲")
    gone = volunteer(team, "乙")
    Volunteer.objects.filter(pk=gone.pk).update(active=False)
    assert pks(selectors.team_list(user=users.street_admin)) == [team.pk, other_team.pk]  # by code
    assert pks(selectors.team_list(user=users.worker_b)) == [other_team.pk]
    assert pks(selectors.team_list(user=team.leader)) == [team.pk]  # type: ignore[arg-type]  # granted on the team only
    assert pks(selectors.team_list(user=users.admin)) == [team.pk, other_team.pk, far_team.pk]
    assert pks(selectors.team_list(user=users.nobody)) == []
    assert pks(selectors.team_list(user=users.street_admin, q=" 思源 ")) == [team.pk]
    assert pks(selectors.team_list(user=users.street_admin, region=tree.community_b)) == [other_team.pk]
    assert selectors.team_list(user=users.street_admin).get(pk=team.pk).volunteer_count == 1  # type: ignore[attr-defined]  # in the team
    assert selectors.get_team_for_user(user=team.leader, pk=team.pk) == team  # type: ignore[arg-type]
    with pytest.raises(Http404):
        selectors.get_team_for_user(user=team.leader, pk=other_team.pk)  # type: ignore[arg-type]


def test_team_hours_count_verified_hours_only(team: Team, other_team: Team) -> None:
    a, b = volunteer(team, "甲"), volunteer(other_team, "乙")
    log(a, "2", verified=True)
    log(a, "1.5", verified=True, on=DAY - datetime.timedelta(days=1))
    log(a, "4", verified=False)
    log(b, "3", verified=True)
    assert selectors.team_hours([team.pk]) == {team.pk: Decimal("3.5")}
    assert selectors.team_hours([team.pk, other_team.pk]) == {
        team.pk: Decimal("3.5"),
        other_team.pk: Decimal("3"),
    }


def test_volunteer_list_scope_filters_and_verified_hours(
    team: Team, other_team: Team, far_team: Team, users: Any, tree: Any
) -> None:
    li, wang = volunteer(team, "李志愿"), volunteer(team, "王志愿")
    zhao, far = volunteer(other_team, "赵志愿"), volunteer(far_team, "钱志愿")
    log(li, "2", verified=True)
    log(li, "5", verified=False)

    def listed(user: Any = users.street_admin, **kw: Any) -> list[int]:
        return pks(selectors.volunteer_list(user=user, filters=VolunteerFilters(**kw)))

    assert listed() == [li.pk, wang.pk, zhao.pk]  # by volunteer number
    assert listed(user=team.leader) == [li.pk, wang.pk]
    assert listed(user=users.worker_b) == [zhao.pk]
    assert far.pk in listed(user=users.admin) and listed(user=users.nobody) == []
    assert listed(team=other_team.pk) == [zhao.pk]
    assert listed(region=tree.community_a) == [li.pk, wang.pk]
    assert listed(q="王") == [wang.pk]  # the name
    assert listed(q=f" {zhao.number.lower()} ") == [zhao.pk]  # the number, whole
    assert listed(q=zhao.number[:-2]) == []
    hours = {v.pk: v.verified_hours for v in selectors.volunteer_list(user=users.street_admin)}  # type: ignore[attr-defined]
    assert hours == {li.pk: Decimal("2"), wang.pk: Decimal("0"), zhao.pk: Decimal("0")}
    assert selectors.volunteer_totals(li) == {"verified": Decimal("2"), "pending": Decimal("5"), "count": 1}
    with pytest.raises(Http404):
        selectors.get_volunteer_for_user(user=team.leader, pk=zhao.pk)  # type: ignore[arg-type]
    assert selectors.get_volunteer_for_user(user=team.leader, pk=li.pk) == li  # type: ignore[arg-type]


def test_records_pending_and_recent_in_scope(team: Team, other_team: Team, users: Any) -> None:
    a, b = volunteer(team, "甲"), volunteer(other_team, "乙")
    older = log(a, "1", verified=False, on=DAY - datetime.timedelta(days=3))
    newer = log(a, "2", verified=False)
    done = log(a, "3", verified=True, on=DAY - datetime.timedelta(days=1))
    theirs = log(b, "1", verified=False)
    assert pks(selectors.pending_records(user=team.leader)) == [older.pk, newer.pk]  # type: ignore[arg-type]  # oldest first
    assert pks(selectors.pending_records(user=users.street_admin)) == [older.pk, newer.pk, theirs.pk]
    assert pks(selectors.pending_records(user=users.street_admin, team=other_team)) == [theirs.pk]
    assert pks(selectors.volunteer_records(a)) == [newer.pk, done.pk, older.pk]  # latest first
    assert pks(selectors.volunteer_records(a, limit=1)) == [newer.pk]
    assert selectors.get_record_for_user(user=team.leader, pk=done.pk) == done  # type: ignore[arg-type]
    with pytest.raises(Http404):
        selectors.get_record_for_user(user=team.leader, pk=theirs.pk)  # type: ignore[arg-type]


def test_a_proof_is_read_in_scope_only(team: Team, users: Any) -> None:
    a = volunteer(team, "甲")
    log(a, "2", verified=True)
    proof = services.proof_issue(acting_user=None, volunteer=a)
    assert selectors.get_proof_for_user(user=team.leader, pk=proof.pk) == proof  # type: ignore[arg-type]
    assert selectors.get_proof_for_user(user=users.worker_a, pk=proof.pk) == proof
    for user in (users.worker_b, users.nobody):
        with pytest.raises(Http404):
            selectors.get_proof_for_user(user=user, pk=proof.pk)
