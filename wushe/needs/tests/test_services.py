from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory
from tests.outreach_factories import household_in, make_need, make_org, make_resource, outreach_in, units_for
from wushe.accounts.roles import Role
from wushe.core.models import Satisfaction
from wushe.needs import services
from wushe.needs.models import Need, NeedStatus, NeedStep, Problem, ProblemStatus
from wushe.partners.models import Resource

pytestmark = pytest.mark.django_db


def test_need_gets_the_nearest_unit_and_a_deadline(tree: Any, users: Any) -> None:
    units = units_for(tree.street, [tree.community_a], [tree.grid_a])
    household = household_in(tree.grid_a)
    need = make_need(household, acting_user=users.worker_a, urgency="urgent")
    assert need.responsible_unit == units[tree.grid_a.code]
    assert need.deadline == need.reported_on + datetime.timedelta(days=7)
    assert need.status == NeedStatus.ASSESS
    assert need.created_by == users.worker_a
    assert list(need.steps.values_list("to_status", flat=True)) == [NeedStatus.ASSESS]
    assert need.history.count() == 1


def test_need_in_a_community_without_a_grid_unit_goes_to_the_substation(tree: Any) -> None:
    units = units_for(tree.street, [tree.community_b])
    need = make_need(household_in(tree.grid_b))
    assert need.responsible_unit == units[tree.community_b.code]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "nonsense"}, "category"),
        ({"description": "  "}, "description"),
        ({"urgency": "whenever"}, "urgency"),
        ({"source": "rumour"}, "source"),
        ({"deadline": datetime.date(2000, 1, 1)}, "deadline"),
        ({"reported_on": datetime.date(2999, 1, 1)}, "reported_on"),
    ],
)
def test_bad_need_names_the_field_and_writes_nothing(tree: Any, changes: dict[str, Any], field: str) -> None:
    units_for(tree.street)
    household = household_in(tree.grid_a)
    with pytest.raises(ValidationError) as exc:
        make_need(household, **changes)
    assert field in exc.value.message_dict
    assert Need.objects.count() == 0 and NeedStep.objects.count() == 0


def test_no_unit_is_an_error_on_the_unit(tree: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_need(household_in(tree.grid_a))
    assert "responsible_unit" in exc.value.message_dict


def test_worker_cannot_register_a_need_out_of_scope(tree: Any, users: Any) -> None:
    units_for(tree.street)
    with pytest.raises(ValidationError) as exc:
        make_need(household_in(tree.grid_b), acting_user=users.worker_a)
    assert "region" in exc.value.message_dict
    leader = users.leader
    with pytest.raises(PermissionDenied):
        make_need(household_in(tree.grid_a), acting_user=leader)


def test_steps_forward_only_and_each_recorded(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    need = services.need_advance(acting_user=users.worker_a, need=o.need, to_status=NeedStatus.TO_MATCH)
    with pytest.raises(ValidationError) as exc:
        services.need_advance(acting_user=users.worker_a, need=need, to_status=NeedStatus.ASSESS)
    assert "to_status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.need_advance(acting_user=users.worker_a, need=need, to_status=NeedStatus.UNMET)
    assert "unmet_reason" in exc.value.message_dict
    need = services.need_advance(
        acting_user=users.worker_a, need=need, to_status=NeedStatus.MET, satisfaction=Satisfaction.BASIC
    )
    assert need.met_at is not None and need.satisfaction == Satisfaction.BASIC
    steps = list(need.steps.values_list("from_status", "to_status", "by"))
    assert steps[-1] == (NeedStatus.TO_MATCH, NeedStatus.MET, users.worker_a.pk)
    with pytest.raises(ValidationError):
        services.need_advance(
            acting_user=users.worker_a, need=need, to_status=NeedStatus.UNMET, unmet_reason="x"
        )


def test_rating_a_need_that_is_not_met_is_refused(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    with pytest.raises(ValidationError) as exc:
        services.need_rate(acting_user=users.worker_a, need=o.need, satisfaction=Satisfaction.SATISFIED)
    assert "satisfaction" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.need_advance(
            acting_user=users.worker_a, need=o.need, to_status=NeedStatus.MET, satisfaction="great"
        )
    assert "satisfaction" in exc.value.message_dict
    o.need.refresh_from_db()
    assert o.need.status == NeedStatus.ASSESS


def test_accept_refers_and_takes_capacity(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    need = services.need_accept(acting_user=users.worker_a, need=o.need, resource=o.resource)
    o.resource.refresh_from_db()
    assert o.resource.remaining == 4
    assert need.referred_to == o.org and need.status == NeedStatus.MATCHED and need.resource == o.resource
    last = need.steps.last()
    assert last is not None and "转介" in last.note
    with pytest.raises(ValidationError):
        services.need_accept(acting_user=users.worker_a, need=need, resource=o.resource)
    o.resource.refresh_from_db()
    assert o.resource.remaining == 4


def test_accept_refuses_an_unsuitable_or_empty_resource(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    other_area = make_resource(o.org, tree.community_b)
    with pytest.raises(ValidationError) as exc:
        services.need_accept(acting_user=users.worker_a, need=o.need, resource=other_area)
    assert "resource" in exc.value.message_dict
    wrong_kind = make_resource(o.org, tree.community_a, categories=["legal"])
    with pytest.raises(ValidationError):
        services.need_accept(acting_user=users.worker_a, need=o.need, resource=wrong_kind)
    one = make_resource(o.org, tree.community_a, capacity=1)
    services.need_accept(acting_user=None, need=make_need(o.household), resource=one)
    with pytest.raises(ValidationError) as exc:
        services.need_accept(acting_user=None, need=o.need, resource=Resource.objects.get(pk=one.pk))
    assert "resource" in exc.value.message_dict
    o.need.refresh_from_db()
    assert o.need.referred_to is None and o.need.status == NeedStatus.ASSESS
    assert Resource.objects.get(pk=one.pk).remaining == 0


def test_org_staff_moves_only_needs_referred_to_it(tree: Any, users: Any) -> None:
    o = outreach_in(tree)
    staff = UserFactory(role=Role.ORG_STAFF, organization=o.org)
    with pytest.raises(PermissionDenied):
        services.need_advance(acting_user=staff, need=o.need, to_status=NeedStatus.IN_SERVICE)
    services.need_accept(acting_user=users.worker_a, need=o.need, resource=o.resource)
    staff = type(staff).objects.get(pk=staff.pk)
    need = services.need_advance(acting_user=staff, need=o.need, to_status=NeedStatus.IN_SERVICE)
    assert need.status == NeedStatus.IN_SERVICE


def test_problems_found_and_resolved(tree: Any, users: Any) -> None:
    household = household_in(tree.grid_a)
    problem = services.problem_create(acting_user=users.worker_a, household=household, description="房屋漏雨")
    assert problem.region == tree.grid_a and problem.status == ProblemStatus.OPEN
    with pytest.raises(ValidationError) as exc:
        services.problem_resolve(acting_user=users.worker_a, problem=problem, resolution="")
    assert "resolution" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.problem_resolve(
            acting_user=users.worker_a,
            problem=problem,
            resolution="修好了",
            resolved_on=datetime.date(2000, 1, 1),
        )
    assert "resolved_on" in exc.value.message_dict
    solved = services.problem_resolve(
        acting_user=users.worker_a, problem=problem, resolution="已维修", satisfaction=Satisfaction.SATISFIED
    )
    assert solved.status == ProblemStatus.RESOLVED and solved.resolved_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.problem_resolve(acting_user=users.worker_a, problem=solved, resolution="again")
    with pytest.raises(ValidationError) as exc:
        services.problem_create(
            acting_user=users.worker_a, household=household_in(tree.grid_b), description="x"
        )
    assert Problem.objects.count() == 1


def test_overdue_needs_are_listed(tree: Any) -> None:
    from wushe.needs.selectors import overdue_needs

    units_for(tree.street)
    household = household_in(tree.grid_a)
    late = make_need(household, reported_on=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 1, 10))
    make_need(household)
    assert list(overdue_needs(Need.objects.all())) == [late]
    assert make_org(tree.street).pk
