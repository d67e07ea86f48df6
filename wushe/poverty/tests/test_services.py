"""The poverty work's services: checks and the needs they make, leads through five steps,
monitoring and elimination, and the early-warning rules."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import PersonFactory
from wushe.core.checks import today
from wushe.needs.models import NeedSource
from wushe.poverty import services
from wushe.poverty.models import (
    Item,
    LeadSource,
    MonitoringObject,
    ObjectStatus,
    RiskWarning,
    Stage,
    Threshold,
    WarningRule,
    WarningStatus,
)
from wushe.poverty.selectors import overdue_leads
from wushe.registry.services import certificate_set

from ..services import ItemInput

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _check(pw: Any, user: Any, **kw: Any) -> Any:
    args: dict[str, Any] = {"items": {}, "income": "30000"}
    args.update(kw)
    return services.household_check_record(acting_user=user, household=pw.household, **args)


# ---- checks ---------------------------------------------------------------------------------


def test_failed_housing_item_becomes_a_need_with_unit_and_deadline(pw: Any, users: Any) -> None:
    day = today() - 3 * DAY
    check = _check(
        pw,
        users.worker_a,
        checked_on=day,
        items={Item.HOUSING: ItemInput(passed=False, finding="墙体开裂")},
        housing_grade="C",
    )
    failed = [i for i in check.items.all() if not i.passed]
    assert [i.item for i in failed] == [Item.HOUSING]
    need = failed[0].need
    assert need is not None
    assert need.source == NeedSource.CHECK
    assert need.category.code == "housing"
    assert need.household == pw.household
    assert need.responsible_unit == pw.units[pw.household.region.code]  # the grid's own unit
    assert need.deadline == day + datetime.timedelta(days=30)
    assert "墙体开裂" in need.description and "C级" in need.description
    assert all(i.need is None for i in check.items.all() if i.passed)


def test_unsafe_grade_or_old_person_alone_fails_housing_even_when_ticked_passed(pw: Any, users: Any) -> None:
    check = _check(pw, users.worker_a, elderly_in_old_house=True)
    housing = check.items.get(item=Item.HOUSING)
    assert not housing.passed and housing.need is not None


def test_named_unit_and_deadline_are_kept(pw: Any, users: Any, tree: Any) -> None:
    unit = pw.units[tree.community_a.code]
    due = today() + 10 * DAY
    check = _check(pw, users.worker_a, items={Item.WATER_QUALITY: ItemInput(False, "水质浑浊", unit, due)})
    need = check.items.get(item=Item.WATER_QUALITY).need
    assert need.responsible_unit == unit and need.deadline == due and need.category.code == "water"


def test_income_against_the_provinces_threshold(pw: Any, users: Any) -> None:
    Threshold.objects.create(province="37", year=today().year, amount=Decimal("7000"))
    check = _check(pw, users.worker_a, income="13000", members=2)  # 6,500 a person
    assert check.income_per_person == Decimal("6500.00") and check.threshold == Decimal("7000.00")
    income = check.items.get(item=Item.INCOME)
    assert not income.passed and income.need is not None
    above = _check(pw, users.worker_a, income="15000", members=2)
    assert above.items.get(item=Item.INCOME).passed


def test_dibao_recheck_needs_a_reason_to_adjust_or_remove(pw: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as e:
        _check(pw, users.worker_a, dibao_outcome="removed")
    assert "dibao_reason" in e.value.message_dict
    check = _check(pw, users.worker_a, dibao_outcome="removed", dibao_reason="家庭收入超过低保标准")
    assert check.get_dibao_outcome_display() == "退出"
    assert _check(pw, users.worker_a, dibao_outcome="kept").dibao_outcome == "kept"


def test_bad_input_names_the_field_and_leaves_nothing(pw: Any, users: Any) -> None:
    from wushe.poverty.models import HouseholdCheck

    cases: list[tuple[dict[str, Any], str]] = [
        ({"items": {"roof": False}}, "items"),
        ({"income": "abc"}, "income"),
        ({"income": "-1"}, "income"),
        ({"housing_grade": "Z"}, "housing_grade"),
        ({"checked_on": today() + DAY}, "checked_on"),
        ({"main_earner": PersonFactory(region=pw.household.region)}, "main_earner"),
    ]
    for kw, field in cases:
        with pytest.raises(ValidationError) as e:
            _check(pw, users.worker_a, **kw)
        assert field in e.value.message_dict, kw
    assert not HouseholdCheck.objects.exists()


def test_a_check_outside_the_scope_or_without_the_capability_is_refused(pw: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as e:
        _check(pw, users.worker_b)
    assert "household" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        _check(pw, users.leader)


# ---- leads ----------------------------------------------------------------------------------


def _lead(pw: Any, user: Any, raised_on: datetime.date) -> Any:
    return services.lead_create(
        acting_user=user,
        household=pw.household,
        source=LeadSource.DECLARED,
        kind="unstable",
        risk_type="illness",
        reason="户主突发重病，医疗支出大",
        raised_on=raised_on,
    )


def _walk(pw: Any, user: Any, lead: Any, start: datetime.date) -> Any:
    lead = services.lead_step(acting_user=user, lead=lead, step=Stage.VERIFY, done_on=start, note="属实")
    lead = services.lead_step(acting_user=user, lead=lead, step=Stage.REVIEW, done_on=start + DAY)
    lead = services.lead_step(
        acting_user=user,
        lead=lead,
        step=Stage.NOTICE,
        done_on=start + 6 * DAY,
        notice_from=start + 2 * DAY,
        notice_to=start + 6 * DAY,
    )
    lead = services.lead_step(acting_user=user, lead=lead, step=Stage.TOWNSHIP, done_on=start + 7 * DAY)
    return services.lead_step(acting_user=user, lead=lead, step=Stage.COUNTY, done_on=start + 8 * DAY)


def test_a_lead_goes_through_five_steps_and_becomes_a_monitoring_object(pw: Any, users: Any) -> None:
    start = today() - 20 * DAY
    lead = _lead(pw, users.worker_a, start)
    assert lead.deadline == start + 15 * DAY
    lead = _walk(pw, users.worker_a, lead, start)
    assert lead.stage == Stage.DONE and lead.finished_on == start + 8 * DAY
    steps = list(lead.steps.order_by("id"))
    assert [s.step for s in steps] == ["verify", "review", "notice", "township", "county"]
    assert all(s.by == users.worker_a for s in steps)
    obj = MonitoringObject.objects.get(lead=lead)
    assert (obj.kind, obj.risk_type, obj.status) == ("unstable", "illness", ObjectStatus.MONITORED)
    assert not overdue_leads(user=users.worker_a).exists()


def test_steps_go_in_order_and_the_notice_lasts_five_days(pw: Any, users: Any) -> None:
    start = today() - 10 * DAY
    lead = _lead(pw, users.worker_a, start)
    with pytest.raises(ValidationError) as e:
        services.lead_step(acting_user=users.worker_a, lead=lead, step=Stage.REVIEW, done_on=start)
    assert "step" in e.value.message_dict
    lead = services.lead_step(acting_user=users.worker_a, lead=lead, step=Stage.VERIFY, done_on=start)
    lead = services.lead_step(acting_user=users.worker_a, lead=lead, step=Stage.REVIEW, done_on=start)
    with pytest.raises(ValidationError) as e:
        services.lead_step(
            acting_user=users.worker_a,
            lead=lead,
            step=Stage.NOTICE,
            done_on=start + 4 * DAY,
            notice_from=start + DAY,
            notice_to=start + 4 * DAY,  # four days
        )
    assert "notice_to" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.lead_step(acting_user=users.worker_a, lead=lead, step=Stage.NOTICE, done_on=start + 4 * DAY)
    assert "notice_from" in e.value.message_dict


def test_a_refusal_ends_the_lead_and_needs_a_reason(pw: Any, users: Any) -> None:
    lead = _lead(pw, users.worker_a, today())
    with pytest.raises(ValidationError) as e:
        services.lead_step(acting_user=users.worker_a, lead=lead, step=Stage.VERIFY, approved=False)
    assert "note" in e.value.message_dict
    lead = services.lead_step(
        acting_user=users.worker_a, lead=lead, step=Stage.VERIFY, approved=False, note="收入稳定，不属实"
    )
    assert lead.stage == Stage.REJECTED and not MonitoringObject.objects.exists()


def test_a_lead_past_its_deadline_is_listed_overdue_with_its_step(pw: Any, users: Any, settings: Any) -> None:
    late = _lead(pw, users.worker_a, today() - 16 * DAY)
    late = services.lead_step(
        acting_user=users.worker_a, lead=late, step=Stage.VERIFY, done_on=today() - 15 * DAY
    )
    other = services.lead_create(
        acting_user=users.worker_b,
        household=pw.other,
        source=LeadSource.SCREENING,
        kind="edge",
        risk_type="disaster",
        reason="房屋受灾",
        raised_on=today() - 14 * DAY,
    )
    assert list(overdue_leads(user=users.street_admin)) == [late]
    assert late.stage == Stage.REVIEW
    assert not overdue_leads(user=users.worker_b).exists()  # scoped: 乙社区 sees only its own
    assert other.deadline == today() + DAY
    settings.WUSHE_MONITORING_DEADLINE_DAYS = 10  # configurable: a lead registered now has 10 days
    pw.other.refresh_from_db()
    services.lead_step(
        acting_user=users.worker_b, lead=other, step=Stage.VERIFY, approved=False, note="不属实"
    )
    again = services.lead_create(
        acting_user=users.worker_b, household=pw.other, source=LeadSource.DECLARED, kind="edge",
        risk_type="disaster", reason="再次申报",
    )  # fmt: skip
    assert again.deadline == today() + 10 * DAY


# ---- monitoring and elimination -------------------------------------------------------------


def _object(pw: Any, user: Any, started: datetime.date, **kw: Any) -> MonitoringObject:
    return MonitoringObject.objects.create(
        household=pw.household,
        region=pw.household.region,
        kind="edge",
        risk_type="illness",
        started_on=started,
        **kw,
    )


def _months_back(n: int) -> list[datetime.date]:
    first = today().replace(day=1)
    out = []
    for _ in range(n):
        first = (first - DAY).replace(day=1)
        out.append(first)
    return out


def test_elimination_needs_six_months_above_the_line_and_security(pw: Any, users: Any) -> None:
    months = _months_back(7)
    obj = _object(pw, users.worker_a, months[-1] + 3 * DAY)  # 6 whole months before this one
    with pytest.raises(ValidationError) as e:
        services.object_eliminate(acting_user=users.worker_a, monitored=obj)
    assert "status" in e.value.message_dict
    for month in months:
        services.income_record(
            acting_user=users.worker_a, monitored=obj, month=month, income_per_person="600"
        )
    blockers = services.elimination_blockers(obj, today())
    assert any("核查" in b for b in blockers)  # 600 a month is above 6,600 / 12; no check yet
    _check(pw, users.worker_a)
    assert services.elimination_blockers(obj, today()) == []
    services.income_record(
        acting_user=users.worker_a, monitored=obj, month=months[2], income_per_person="540"
    )
    assert any(f"{months[2]:%Y-%m}" in b for b in services.elimination_blockers(obj, today()))
    services.income_record(
        acting_user=users.worker_a, monitored=obj, month=months[2], income_per_person="560"
    )
    obj = services.object_eliminate(acting_user=users.worker_a, monitored=obj)
    assert obj.status == ObjectStatus.ELIMINATED and obj.eliminated_on == today()


def test_no_labour_capacity_stays_monitored(pw: Any, users: Any) -> None:
    months = _months_back(7)
    obj = _object(pw, users.worker_a, months[-1], no_labour=True)
    for month in months:
        services.income_record(
            acting_user=users.worker_a, monitored=obj, month=month, income_per_person="900"
        )
    _check(pw, users.worker_a)
    with pytest.raises(ValidationError) as e:
        services.object_eliminate(acting_user=users.worker_a, monitored=obj)
    assert "无劳动能力" in e.value.message_dict["status"][0]


def test_measures_name_a_cadre(pw: Any, users: Any) -> None:
    obj = _object(pw, users.worker_a, today())
    with pytest.raises(ValidationError) as e:
        services.measure_add(
            acting_user=users.worker_a, monitored=obj, kind="health", description="家庭医生签约", cadre=""
        )
    assert "cadre" in e.value.message_dict
    m = services.measure_add(
        acting_user=users.worker_a, monitored=obj, kind="health", description="家庭医生签约", cadre="张干部"
    )
    assert m.cadre == "张干部"
    with pytest.raises(PermissionDenied):
        services.measure_add(
            acting_user=users.worker_b, monitored=obj, kind="health", description="x", cadre="y"
        )


# ---- early warning --------------------------------------------------------------------------


def test_a_new_level_one_certificate_in_a_poor_household_raises_a_warning(pw: Any, users: Any) -> None:
    from tests.factories import certificate_for

    certificate_set(
        acting_user=None,
        person=pw.spouse,
        number=certificate_for(pw.spouse.id_number, 4, 1),
        on=today() - DAY,
    )
    run = services.early_warning_run()
    assert run.raised == 1
    warning = RiskWarning.objects.get()
    assert warning.rule == WarningRule.CERTIFICATE and warning.household == pw.household
    assert "李秀英" in warning.reason and "一级" in warning.reason and "肢体" in warning.reason
    assert services.early_warning_run().raised == 0  # raised once
    lead = services.warning_confirm(
        acting_user=users.worker_a, warning=warning, kind="unstable", risk_type="disability"
    )
    assert lead.source == LeadSource.DEPARTMENT and warning.reason in lead.reason
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CONFIRMED and warning.lead == lead


def test_a_certificate_outside_watched_households_raises_nothing(pw: Any, users: Any) -> None:
    from tests.factories import certificate_for

    head = pw.other.members.get()
    certificate_set(acting_user=None, person=head, number=certificate_for(head.id_number, 4, 1), on=today())
    assert services.early_warning_run().raised == 0


def test_the_other_rules(pw: Any, users: Any) -> None:
    from wushe.registry.services import person_deregister

    _check(
        pw,
        users.worker_a,
        income="12000",  # 6,000 a person: below 6,600
        members=2,
        serious_illness=True,
        items={Item.EDUCATION: ItemInput(False, "孩子辍学"), Item.FOOD: False},
        main_earner=pw.spouse,
    )
    person_deregister(acting_user=None, person=pw.spouse, status="deceased", note="病故", on=today())
    services.early_warning_run()
    rules = sorted(RiskWarning.objects.values_list("rule", flat=True))
    assert rules == sorted([WarningRule.ILLNESS, WarningRule.INCOME, WarningRule.ITEM, WarningRule.DEATH])
    warning = RiskWarning.objects.get(rule=WarningRule.DEATH)
    with pytest.raises(ValidationError) as e:
        services.warning_dismiss(acting_user=users.worker_a, warning=warning, note="")
    assert "note" in e.value.message_dict
    services.warning_dismiss(acting_user=users.worker_a, warning=warning, note="已有其他劳动力")
    with pytest.raises(ValidationError):
        services.warning_dismiss(acting_user=users.worker_a, warning=warning, note="again")
