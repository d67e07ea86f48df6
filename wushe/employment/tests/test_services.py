"""The services: a course with enrolments, attendance and a 3-month follow-up; a micro-factory
with its investment (a project, a fund's paid disbursement, government money) and workers; a job
fair's enterprises (credit code checked), positions, hires and follow-up; a post's
recommendation, approval by the provider, placement, confirmation and leaving. Each with the
rule it refuses, naming the field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import OrganizationFactory
from wushe.core.checks import today
from wushe.employment import services
from wushe.employment.models import FollowUpPlan, Outcome, RecommendationStatus
from wushe.partners.models import OrganizationKind

from .conftest import ENTERPRISE_CODE

pytestmark = pytest.mark.django_db

AGO = today() - datetime.timedelta(days=200)


def make_course(ew: Any, **kw: Any) -> Any:
    values = {
        "acting_user": ew.staff,
        "region": ew.tree.community_a,
        "title": "短视频制作与直播带货培训班",
        "kind": "livestream",
        "start_on": AGO,
        "end_on": AGO + datetime.timedelta(days=10),
        "sessions": 4,
        "organizer": ew.org,
    }
    return services.course_create(**{**values, **kw})


def fields(exc: Any) -> set[str]:
    return set(exc.value.message_dict)


def test_a_course_its_attendance_and_a_follow_up(ew: Any) -> None:
    course = make_course(ew)
    a, b = (services.enrolment_create(acting_user=ew.worker, course=course, person=p) for p in ew.people[:2])
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(acting_user=ew.worker, course=course, person=ew.people[0])
    assert fields(exc) == {"person"}
    assert services.attendance_record(acting_user=ew.worker, course=course, session=1, present=[a]) == 1
    assert services.attendance_record(acting_user=ew.worker, course=course, session=1, present=[a, b]) == 2
    assert course.enrolments.get(pk=b.pk).attendance.filter(present=True).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(acting_user=ew.worker, course=course, session=5, present=[a])
    assert fields(exc) == {"session"}
    services.enrolment_complete(acting_user=ew.worker, enrolment=a, completed_on=course.end_on)
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(acting_user=ew.worker, enrolment=a, month=3, outcome=Outcome.FLEXIBLE)
    assert fields(exc) == {"flexible_kind"}
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(acting_user=ew.worker, enrolment=a, month=2, outcome=Outcome.EMPLOYED)
    assert fields(exc) == {"month"}
    f = services.follow_up_record(
        acting_user=ew.worker,
        enrolment=a,
        month=3,
        outcome=Outcome.FLEXIBLE,
        flexible_kind="livestream",
        monthly_income="2600.00",
    )
    assert (f.outcome, f.flexible_kind, f.monthly_income) == ("flexible", "livestream", Decimal("2600.00"))
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(acting_user=ew.worker, enrolment=a, month=3, outcome="on_the_moon")
    assert fields(exc) == {"outcome"}


def test_the_follow_up_months_are_configuration(ew: Any) -> None:
    course = make_course(ew)
    e = services.enrolment_create(acting_user=ew.worker, course=course, person=ew.people[0])
    assert services.follow_up_months(course.region) == (1, 3, 6)
    FollowUpPlan.objects.create(region=ew.tree.street, months="2, 4")
    assert services.follow_up_months(course.region) == (2, 4)
    with pytest.raises(ValidationError):
        services.follow_up_record(acting_user=ew.worker, enrolment=e, month=3, outcome=Outcome.NOT_WORKING)
    services.follow_up_record(acting_user=ew.worker, enrolment=e, month=4, outcome=Outcome.NOT_WORKING)


def test_only_list_keepers_set_up_a_course_and_outreach_records(ew: Any) -> None:
    with pytest.raises(PermissionDenied):
        make_course(ew, acting_user=ew.worker)  # a social worker does not keep the lists
    with pytest.raises(ValidationError) as exc:
        make_course(ew, acting_user=ew.staff, region=ew.tree.community_b)
    assert fields(exc) == {"region"}
    course = make_course(ew)
    with pytest.raises(ValidationError) as exc:  # 乙社区's worker cannot see 甲社区's resident
        services.enrolment_create(acting_user=ew.worker_b, course=course, person=ew.people[0])
    assert fields(exc) == {"person"}
    with pytest.raises(PermissionDenied):
        services.enrolment_create(acting_user=ew.leader, course=course, person=ew.people[0])


def _paid_disbursement(ew: Any, amount: str) -> Any:
    from tests.factories import UserFactory
    from wushe.accounts.roles import Role
    from wushe.funds.services import (
        committee_set,
        disbursement_approve,
        disbursement_pay,
        disbursement_request,
        donation_record,
        fund_create,
    )

    charity = OrganizationFactory(
        region=ew.tree.county,
        kind=OrganizationKind.COMMUNITY,
        name="慈善总会",
        credit_code="53371602MJ0000010F",
    )
    fund = fund_create(
        acting_user=None,
        region=ew.tree.community_a,
        name="甲社区慈善基金",
        organization=charity,
        purpose="助残",
        opened_on=AGO,
    )
    people = [UserFactory(username=f"c{i}") for i in range(5)]
    committee_set(acting_user=None, fund=fund, chair=people[0], supervisor=people[1], members=people[2:])
    donation_record(
        acting_user=None, fund=fund, amount="50000.00", donated_on=AGO, channel="bank", donor_kind="anonymous"
    )
    from tests.outreach_factories import make_project

    project = make_project(ew.org, ew.tree.community_a)
    d = disbursement_request(
        acting_user=None, fund=fund, amount=amount, purpose="微工厂设备", project=project
    )
    for m in people[1:4]:
        d = disbursement_approve(acting_user=m, disbursement=d)
    payer = UserFactory(username="payer", role=Role.PAYER, region=ew.tree.street)
    return disbursement_pay(acting_user=payer, disbursement=d, method="转账", voucher_number="V1")


def test_a_micro_factory_its_investment_and_the_families_it_employs(ew: Any) -> None:
    factory = services.factory_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        name="利民微工厂",
        operator=ew.org,
        opened_on=AGO,
        products="手工编织",
    )
    services.investment_record(
        acting_user=ew.staff, factory=factory, amount="30000.00", source="government", department="区残联"
    )
    with pytest.raises(ValidationError) as exc:
        services.investment_record(acting_user=ew.staff, factory=factory, amount="1.00", source="government")
    assert fields(exc) == {"department"}
    with pytest.raises(ValidationError) as exc:
        services.investment_record(acting_user=ew.staff, factory=factory, amount="1.00", source="project")
    assert fields(exc) == {"project"}
    with pytest.raises(ValidationError) as exc:
        services.investment_record(acting_user=ew.staff, factory=factory, amount=1.5, source="government")  # type: ignore[arg-type]  # a float is refused
    assert fields(exc) == {"amount"}
    d = _paid_disbursement(ew, "20000.00")
    services.investment_record(
        acting_user=ew.staff, factory=factory, amount="15000.00", source="fund", disbursement=d
    )
    with pytest.raises(ValidationError) as exc:  # only 5,000 of the payment is left
        services.investment_record(
            acting_user=ew.staff, factory=factory, amount="6000.00", source="fund", disbursement=d
        )
    assert fields(exc) == {"amount"}
    w1 = services.worker_add(
        acting_user=ew.worker, factory=factory, person=ew.people[0], started_on=AGO, work="计件"
    )
    services.worker_add(acting_user=ew.worker, factory=factory, person=ew.people[1], started_on=AGO)
    assert w1.household_id == ew.households[0].pk
    with pytest.raises(ValidationError) as exc:
        services.worker_add(acting_user=ew.worker, factory=factory, person=ew.people[0])
    assert fields(exc) == {"person"}
    services.worker_month_record(acting_user=ew.worker, worker=w1, month=today(), pay="1200.00", pieces=300)
    row = services.worker_month_record(
        acting_user=ew.worker, worker=w1, month=today(), pay="1300.00", pieces=320
    )
    assert w1.months.get().pay == Decimal("1300.00") == row.pay
    services.factory_month_record(
        acting_user=ew.worker, factory=factory, month=today(), orders=12, output="26000"
    )
    from wushe.employment.selectors import factory_summary

    s = factory_summary(factory, ew.worker)
    assert (s.invested, s.families, s.paid, len(s.workers)) == (Decimal("45000.00"), 2, Decimal("1300.00"), 2)
    services.worker_end(acting_user=ew.worker, worker=w1, ended_on=today())
    with pytest.raises(ValidationError) as exc:
        services.worker_end(acting_user=ew.worker, worker=w1)
    assert fields(exc) == {"ended_on"}


def test_a_job_fair_checks_the_credit_code_and_records_hires(ew: Any) -> None:
    fair = services.job_fair_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        title="社区微业招聘会",
        held_on=AGO,
        place="社区广场",
        organizer="社区",
        visitors=300,
    )
    with pytest.raises(ValidationError) as exc:
        services.fair_enterprise_add(acting_user=ew.staff, fair=fair, name="某公司", credit_code="12345")
    assert fields(exc) == {"credit_code"}
    with pytest.raises(ValidationError) as exc:
        services.fair_enterprise_add(acting_user=ew.staff, fair=fair, name="某公司", credit_code="")
    assert fields(exc) == {"credit_code"}
    nocode = OrganizationFactory(region=ew.tree.street, kind=OrganizationKind.ENTERPRISE, name="无码公司")
    with pytest.raises(ValidationError) as exc:
        services.fair_enterprise_add(acting_user=ew.staff, fair=fair, organization=nocode)
    assert fields(exc) == {"organization"}
    ent = services.fair_enterprise_add(
        acting_user=ew.staff, fair=fair, name="滨州巧手科技", credit_code=ENTERPRISE_CODE
    )
    assert ent.credit_code_warning == "" and ent.organization.kind == OrganizationKind.ENTERPRISE
    bad = services.fair_enterprise_add(
        acting_user=ew.staff, fair=fair, name="试点公司", credit_code="91371602MA3C00001X"
    )
    assert bad.credit_code_warning  # a failed check character is kept, with its warning
    with pytest.raises(ValidationError) as exc:
        services.position_add(
            acting_user=ew.staff, enterprise=ent, title="客服", openings=2, pay_min=3000, pay_max=2000
        )
    assert fields(exc) == {"pay_max"}
    pos = services.position_add(
        acting_user=ew.staff, enterprise=ent, title="客服", openings=1, pay_min=2500, suits_disabled=True
    )
    a = services.application_create(acting_user=ew.worker, position=pos, person=ew.people[0])
    b = services.application_create(acting_user=ew.worker, position=pos, person=ew.people[1])
    with pytest.raises(ValidationError) as exc:
        services.hire_follow_up_record(acting_user=ew.worker, application=a, still_working=True)
    assert fields(exc) == {"application"}
    a = services.application_decide(acting_user=ew.worker, application=a, hired=True, hired_on=AGO)
    with pytest.raises(ValidationError) as exc:  # one opening, filled
        services.application_decide(acting_user=ew.worker, application=b, hired=True, hired_on=AGO)
    assert fields(exc) == {"status"}
    f = services.hire_follow_up_record(
        acting_user=ew.worker, application=a, still_working=True, monthly_income="2800"
    )
    assert f.monthly_income == Decimal("2800.00")


def test_a_family_recommended_approved_placed_confirmed_and_leaving(ew: Any) -> None:
    post = services.welfare_post_create(
        acting_user=ew.staff,
        region=ew.tree.community_a,
        provider="mca",
        title="社区保洁公益岗位",
        places=1,
        monthly_pay="1500.00",
        start_on=AGO,
        end_on=today() + datetime.timedelta(days=200),
    )
    with pytest.raises(ValidationError) as exc:
        services.recommendation_create(
            acting_user=ew.worker, post=post, person=ew.people[0], reason="", situation="x"
        )
    assert fields(exc) == {"reason"}
    rec = services.recommendation_create(
        acting_user=ew.worker,
        post=post,
        person=ew.people[0],
        reason="家庭困难，有劳动能力",
        situation="一人残疾，无固定收入",
    )
    assert rec.household_id == ew.households[0].pk
    other = services.recommendation_create(
        acting_user=ew.staff, post=post, person=ew.people[1], reason="困难", situation="低保"
    )
    with pytest.raises(PermissionDenied):
        services.recommendation_decide(
            acting_user=ew.worker, recommendation=rec, approve=True
        )  # no list keeper
    with pytest.raises(PermissionDenied):  # the recommender does not approve its own
        services.recommendation_decide(acting_user=ew.staff, recommendation=other, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.recommendation_decide(acting_user=ew.street_admin, recommendation=other, approve=False)
    assert fields(exc) == {"note"}
    rec = services.recommendation_decide(acting_user=ew.staff, recommendation=rec, approve=True)
    with pytest.raises(ValidationError) as exc:  # one place, taken
        services.recommendation_decide(acting_user=ew.street_admin, recommendation=other, approve=True)
    assert fields(exc) == {"post"}
    rec = services.placement_start(acting_user=ew.worker, recommendation=rec, placed_on=today())
    assert rec.status == RecommendationStatus.PLACED
    services.confirmation_record(acting_user=ew.worker, recommendation=rec, month=today(), working=True)
    with pytest.raises(ValidationError) as exc:
        services.confirmation_record(
            acting_user=ew.worker,
            recommendation=rec,
            month=today() - datetime.timedelta(days=400),
            working=True,
        )
    assert fields(exc) == {"month"}
    with pytest.raises(ValidationError) as exc:
        services.placement_end(acting_user=ew.worker, recommendation=rec, reason="")
    assert fields(exc) == {"reason"}
    rec = services.placement_end(acting_user=ew.worker, recommendation=rec, reason="外出务工")
    assert (rec.status, rec.leave_reason) == (RecommendationStatus.LEFT, "外出务工")
