"""The issue's "Done when" path: eligibility with reasons, three approvals, a death this month
stopping next month, last month rebuilt equal to the approved roster, a back-dated death
recovered on the next roster."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wushe.core.checks import today
from wushe.registry.services import person_deregister
from wushe.subsidies import services
from wushe.subsidies.eligibility import add_months, month_start, person_eligibility
from wushe.subsidies.models import Change, Kind, LineKind, Status
from wushe.subsidies.rosters import rebuild_differences, roster_compute, roster_for

from .conftest import disabled

pytestmark = pytest.mark.django_db


def approved(person: Any, kind: str, people: Any, *, on: datetime.date | None = None) -> Any:
    app = services.application_submit(
        acting_user=people.staff, person=person, kind=kind, bank_name="农业银行", bank_account="6228 4800 1234 5678 901",
        applied_on=on,
    )  # fmt: skip
    app = services.application_decide(
        acting_user=people.street_admin, application=app, step="town", passed=True
    )
    app = services.application_decide(acting_user=people.cdpf, application=app, step="cdpf", passed=True)
    return services.application_decide(acting_user=people.mca, application=app, step="mca", passed=True)


def test_level_one_in_dibao_household_qualifies_for_both_with_reasons(tree: Any) -> None:
    person = disabled(tree.grid_a, category=4, level=1, dibao=True)
    living, nursing = person_eligibility(person, month=today())
    assert living.eligible and nursing.eligible
    assert living.amount == Decimal("100") and nursing.amount == Decimal("150")
    assert {r.name for r in living.reasons} >= {"certificate", "hardship", "not_tekun"}
    assert all(r.satisfied for r in living.reasons + nursing.reasons)
    assert living.facts["disability_category"] == 4 and living.facts["disability_level"] == 1
    assert "dibao" in living.facts["household_tags"]


def test_tekun_qualifies_for_neither_and_says_why(tree: Any) -> None:
    person = disabled(tree.grid_a, category=4, level=1, dibao=True, tags=("tekun",))
    living, nursing = person_eligibility(person, month=today())
    assert not living.eligible and not nursing.eligible
    assert [r.name for r in living.failed()] == ["not_tekun"]
    assert [r.name for r in nursing.failed()] == ["not_tekun"]


def test_orphan_nursing_only_and_level_three_nursing_not(tree: Any) -> None:
    orphan = disabled(tree.grid_a, level=2, dibao=True, tags=("orphan-guarantee",))
    living, nursing = person_eligibility(orphan, month=today())
    assert not living.eligible and nursing.eligible
    three = disabled(tree.grid_a, level=3, dibao=True)
    living, nursing = person_eligibility(three, month=today())
    assert living.eligible and not nursing.eligible
    assert [r.name for r in nursing.failed()] == ["level"]


def test_three_approvals_then_paid_from_month_of_application(tree: Any, people: Any) -> None:
    person = disabled(tree.grid_a, dibao=True)
    app = services.application_submit(
        acting_user=people.staff, person=person, kind=Kind.NURSING, bank_name="农业银行", bank_account="6228480012345678901"
    )  # fmt: skip
    assert app.bank_account_masked == "6228***********8901" and app.status == Status.SUBMITTED
    with pytest.raises(ValidationError) as e:  # not in order
        services.application_decide(acting_user=people.mca, application=app, step="mca", passed=True)
    assert "step" in e.value.message_dict
    with pytest.raises(ValidationError):  # another street's administrator: not in scope
        services.application_decide(acting_user=people.other_admin, application=app, step="town", passed=True)
    with pytest.raises(PermissionDenied):  # the community's staff: in scope, not the street
        services.application_decide(acting_user=people.staff, application=app, step="town", passed=True)
    with pytest.raises(PermissionDenied):
        services.application_decide(acting_user=people.mca, application=app, step="cdpf", passed=True)
    app = services.application_decide(
        acting_user=people.street_admin, application=app, step="town", passed=True, note="属实"
    )
    assert roster_compute(tree.street, today()).nursing == 0  # not yet approved
    app = services.application_decide(acting_user=people.cdpf, application=app, step="cdpf", passed=True)
    app = services.application_decide(acting_user=people.mca, application=app, step="mca", passed=True)
    assert app.status == Status.APPROVED
    assert [s.step for s in app.steps.all()] == ["submit", "town", "cdpf", "mca"]
    assert [s.by for s in app.steps.all()][1:] == [people.street_admin, people.cdpf, people.mca]
    this = roster_compute(tree.street, today())
    assert this.nursing == 1 and this.summary()["changes"] == {"new": 1, "stopped": 0, "changed": 0}
    assert roster_compute(tree.street, add_months(month_start(today()), -1)).nursing == 0


def test_death_this_month_stops_next_month(tree: Any, people: Any) -> None:
    dies = disabled(tree.grid_a, dibao=True)
    stays = disabled(tree.grid_a, level=2, dibao=True)
    for p in (dies, stays):
        approved(p, Kind.LIVING, people)
        approved(p, Kind.NURSING, people)
    person_deregister(acting_user=None, person=dies, status="deceased", on=today())
    this = roster_compute(tree.street, today())
    assert (this.living, this.nursing) == (2, 2)
    nxt = roster_compute(tree.street, add_months(month_start(today()), 1))
    assert (nxt.living, nxt.nursing) == (1, 1)
    assert nxt.summary() == {
        "living": 1,
        "nursing": 1,
        "amount": "200.00",
        "changes": {"new": 0, "stopped": 2, "changed": 0},
    }
    stopped = [x for x in nxt.lines if x.change == Change.STOPPED]
    assert {x.application.person_id for x in stopped} == {dies.pk} and all(
        x.reason == "死亡" for x in stopped
    )


def test_last_month_rebuilt_equals_approved_and_backdated_death_is_recovered(tree: Any, people: Any) -> None:
    this_month = month_start(today())
    last, before = add_months(this_month, -1), add_months(this_month, -2)
    a = disabled(tree.grid_a, dibao=True)
    b = disabled(tree.grid_a, level=2, dibao=True)
    for p in (a, b):
        approved(p, Kind.NURSING, people, on=before)
    first = services.roster_approve(acting_user=people.street_admin, region=tree.street, month=before)
    roster = services.roster_approve(acting_user=people.street_admin, region=tree.street, month=last)
    assert (roster.nursing, roster.amount) == (2, Decimal("250.00"))
    assert rebuild_differences(roster) == [] and rebuild_differences(first) == []
    assert roster_for(tree.street, last).summary() == roster_compute(tree.street, last).summary()
    # a death within the first paid month, recorded only now: last month was overpaid
    person_deregister(acting_user=None, person=b, status="deceased", on=before + datetime.timedelta(days=9))
    assert roster_for(tree.street, last).nursing == 2  # the approved roster stays as paid
    assert [(x[1], x[2]) for x in rebuild_differences(roster)] == [(Decimal("100.00"), Decimal(0))]
    nxt = roster_compute(tree.street, this_month)
    recovery = [x for x in nxt.lines if x.line == LineKind.RECOVERY]
    assert [(x.application.person_id, x.for_month, x.amount) for x in recovery] == [
        (b.pk, last, Decimal("-100.00"))
    ]
    assert nxt.amount == Decimal("150.00") - Decimal("100.00")
    # once that roster is approved, the recovery is not asked again
    services.roster_approve(acting_user=people.street_admin, region=tree.street, month=this_month)
    later = roster_compute(tree.street, add_months(this_month, 1))
    assert [x for x in later.lines if x.line == LineKind.RECOVERY] == []


def test_certified_during_the_month_qualifies_that_month(tree: Any, people: Any) -> None:
    from tests.factories import PersonFactory
    from wushe.registry.household_tags import household_tags_set
    from wushe.registry.services import household_create

    new = PersonFactory(region=tree.grid_a, category=4, level=1)  # certificate and registration from today
    household_tags_set(
        acting_user=None, household=household_create(acting_user=None, head=new), tags=["dibao"]
    )
    new.refresh_from_db()
    living, nursing = person_eligibility(new, month=today())
    assert living.eligible and nursing.eligible and nursing.on == today()
    approved(new, Kind.NURSING, people)
    assert roster_compute(tree.street, today()).nursing == 1


def test_a_level_change_takes_effect_next_month(tree: Any, people: Any) -> None:
    from tests.factories import certificate_for
    from wushe.registry.services import certificate_set

    person = disabled(tree.grid_a, level=1, dibao=True)
    a = approved(person, Kind.NURSING, people)
    certificate_set(
        acting_user=None, person=person, number=certificate_for(person.id_number, 4, 3), on=today()
    )
    this = roster_compute(tree.street, today())
    assert [(x.application.pk, x.amount) for x in this.lines] == [(a.pk, Decimal("150"))]
    nxt = roster_compute(tree.street, add_months(month_start(today()), 1))
    assert [(x.application.pk, x.change) for x in nxt.lines] == [(a.pk, Change.STOPPED)]
    assert "一级或二级" in nxt.lines[0].reason
