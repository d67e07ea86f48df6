"""A care plan's month planned against done, the gaps for the provider and the street, and the
checks of every write."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.factories import PersonFactory
from wushe.care import selectors
from wushe.care.models import PlanKind
from wushe.care.services import (
    ServiceLine,
    care_plan_end,
    carer_training_create,
    parse_months,
    service_record_create,
)
from wushe.core.checks import today

from .conftest import last_month, make_plan, months_ago, stype

pytestmark = pytest.mark.django_db


def record(plan: Any, code: str, day: datetime.date, user: Any = None, **kw: Any) -> Any:
    return service_record_create(
        acting_user=user,
        plan=plan,
        service_type=stype(code),
        served_on=day,
        minutes=kw.pop("minutes", 60),
        worker=kw.pop("worker", "张三"),
        satisfaction=kw.pop("satisfaction", "satisfied"),
        **kw,
    )


def test_a_month_shows_planned_against_done(cw: Any) -> None:
    month = last_month()
    for i in range(3):
        record(cw.plan, "cleaning", month + datetime.timedelta(days=i), minutes=90)
    for i in range(8):
        record(cw.plan, "daily_care", month + datetime.timedelta(days=i))
    record(cw.plan, "rehab", month)  # not in the plan
    record(cw.plan, "cleaning", months_ago(2))  # another month
    pm = selectors.plan_month(cw.plan, month)
    lines = {ln.service_type.code: (ln.planned, ln.done, ln.gap, ln.minutes) for ln in pm.lines}
    assert lines == {
        "cleaning": (4, 3, 1, 270),
        "daily_care": (8, 8, 0, 480),
        "rehab": (0, 1, 0, 60),
    }
    assert (pm.planned, pm.done) == (12, 11)
    assert [g.service_type.code for g in pm.gaps] == ["cleaning"]


def test_gaps_for_the_provider_and_the_street(cw: Any, tree: Any) -> None:
    month = last_month()
    for i in range(8):
        record(cw.plan, "daily_care", month + datetime.timedelta(days=i))
    for i in range(3):
        record(cw.plan, "cleaning", month + datetime.timedelta(days=i))
    other_person = PersonFactory(region=tree.grid_b)
    from wushe.registry.services import household_create

    household_create(acting_user=None, head=other_person)
    other_person.refresh_from_db()
    other = make_plan(
        other_person, cw.other_org, started_on=months_ago(3), lines=[ServiceLine(stype("meals"), 2)]
    )
    street = selectors.month_gaps(user=cw.worker_a, month=month)
    assert [pm.plan for pm in street] == [cw.plan]  # 乙社区's plan is not 甲社区's worker's
    from tests.factories import UserFactory
    from wushe.accounts.roles import Role

    admin = UserFactory(role=Role.STREET_ADMIN, region=tree.street)
    assert {pm.plan for pm in selectors.month_gaps(user=admin, month=month)} == {cw.plan, other}
    assert [pm.plan for pm in selectors.month_gaps(user=admin, month=month, provider=cw.other_org.pk)] == [
        other
    ]
    assert [pm.plan for pm in selectors.month_gaps(user=cw.org_staff, month=month)] == [cw.plan]
    record(cw.plan, "cleaning", month + datetime.timedelta(days=5))
    assert selectors.month_gaps(user=cw.worker_a, month=month) == []


def test_seasonal_services_and_plans_outside_the_month(cw: Any, tree: Any) -> None:
    month = last_month()
    other_months = ",".join(str(m) for m in range(1, 13) if m != month.month)
    person = PersonFactory(region=tree.grid_a)
    from wushe.registry.services import household_create

    household_create(acting_user=None, head=person)
    person.refresh_from_db()
    plan = make_plan(
        person,
        cw.provider,
        started_on=months_ago(6),
        lines=[ServiceLine(stype("snow"), 2, other_months), ServiceLine(stype("meals"), 4, str(month.month))],
    )
    lines = {ln.service_type.code: ln.planned for ln in selectors.plan_month(plan, month).lines}
    assert lines == {"snow": 0, "meals": 4}
    before = months_ago(8)  # before the plan began: nothing planned
    assert all(ln.planned == 0 for ln in selectors.plan_month(plan, before).lines)
    plan = care_plan_end(acting_user=None, plan=plan, ended_on=months_ago(6), reason="迁出")
    assert all(ln.planned == 0 for ln in selectors.plan_month(plan, month).lines)


def test_months_are_parsed_and_checked() -> None:
    assert parse_months("12，1、2") == "1,2,12"
    assert parse_months("") == ""
    for bad in ("13", "0", "一月", "1,,x"):
        with pytest.raises(ValidationError):
            parse_months(bad)


def test_records_are_checked(cw: Any) -> None:
    with pytest.raises(ValidationError) as e:
        record(cw.plan, "cleaning", months_ago(8))
    assert "served_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        record(cw.plan, "cleaning", today() + datetime.timedelta(days=1))
    assert "served_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        record(cw.plan, "cleaning", today(), minutes=0)
    assert "minutes" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        record(cw.plan, "cleaning", today(), satisfaction="great")
    assert "satisfaction" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        record(cw.plan, "cleaning", today(), worker=" ")
    assert "worker" in e.value.message_dict


def test_who_may_record(cw: Any) -> None:
    assert record(cw.plan, "cleaning", today(), user=cw.org_staff).created_by == cw.org_staff
    assert record(cw.plan, "cleaning", today(), user=cw.worker_a).pk
    for outsider in (cw.worker_b, cw.other_staff):
        with pytest.raises(ValidationError) as e:
            record(cw.plan, "cleaning", today(), user=outsider)
        assert "plan" in e.value.message_dict
        with pytest.raises(Http404):
            selectors.get_plan_for_user(outsider, cw.plan.pk)


def test_a_plan_is_checked(cw: Any, tree: Any) -> None:
    with pytest.raises(ValidationError) as e:  # the same kind twice
        make_plan(cw.person, cw.provider, started_on=today())
    assert "person" in e.value.message_dict
    mental = make_plan(cw.person, cw.provider, started_on=today(), kind=PlanKind.MENTAL)
    assert mental.household == cw.household and mental.region == cw.household.region
    alone = PersonFactory(region=tree.grid_a)
    with pytest.raises(ValidationError) as e:
        make_plan(alone, cw.provider, started_on=today())
    assert "person" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        make_plan(cw.person, cw.provider, started_on=today(), kind=PlanKind.MENTAL, lines=[])
    assert "services" in e.value.message_dict
    with pytest.raises(ValidationError):  # org staff do not draw up plans
        make_plan(cw.person, cw.provider, started_on=today(), kind="x")


def test_training_of_family_carers(cw: Any) -> None:
    t = carer_training_create(
        acting_user=cw.org_staff,
        plan=cw.plan,
        trained_on=today(),
        carer="家属甲",
        topic="翻身与防褥疮",
        hours="2.5",
        trainer="康复师",
    )
    assert t.hours == t.hours.__class__("2.5")
    with pytest.raises(ValidationError) as e:
        carer_training_create(
            acting_user=cw.org_staff,
            plan=cw.plan,
            trained_on=today(),
            carer="家属甲",
            topic="x",
            hours="abc",
            trainer="y",
        )
    assert "hours" in e.value.message_dict
