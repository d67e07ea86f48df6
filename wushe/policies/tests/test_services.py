"""政策找人's services: the run finds who qualifies and does not receive, with the facts; recording
the policy removes the person from the list; revoking puts them back; the figures follow."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from wushe.core.metrics import Scope, compute
from wushe.policies import selectors
from wushe.policies.engine import facts_from_json
from wushe.policies.models import PolicyApplication, PolicyMatch, RunStatus
from wushe.policies.services import application_record, application_revoke, policy_save
from wushe.registry.household_tags import household_tags_set
from wushe.registry.services import household_create

TODAY = timezone.localdate


def _figure(key: str, scope: Scope) -> Any:
    return compute(scope, [key])[key].value


def _unreached(user: Any, policy: Any) -> list[str]:
    return [m.person.name for m in selectors.unreached(user=user, policy=policy)]


def test_done_when_unreached_names_the_person_with_facts_and_recording_removes_them(
    pw: Any, run_now: Any, tree: Any
) -> None:
    run = run_now(pw.street_admin)
    assert run.status == RunStatus.DONE, run.message
    assert _unreached(pw.street_admin, pw.nursing) == ["甲重度", "乙重度"]
    match = selectors.unreached(user=pw.street_admin, policy=pw.nursing).first()
    assert match is not None
    facts = facts_from_json(match.facts)
    assert facts["person.disability_level"] == 1 and facts["person.tags"] == []
    result = selectors.latest_result(pw.nursing)
    assert result is not None and (result.candidates, result.qualified, result.receiving) == (3, 2, 0)

    scope = Scope(region=tree.street, user=pw.street_admin)
    assert _figure("policies.unreached", scope) == 2

    application_record(
        acting_user=pw.worker_a,
        policy=pw.nursing,
        person=pw.severe_a,
        applied_on=TODAY(),
        benefit="每月100元",
    )
    assert _unreached(pw.street_admin, pw.nursing) == ["乙重度"]
    assert [m.person.name for m in selectors.reached(user=pw.street_admin, policy=pw.nursing)] == ["甲重度"]
    assert _figure("policies.unreached", scope) == 1
    assert _figure("policies.applied", Scope(region=tree.street, user=None, start=TODAY(), end=TODAY())) == 1

    # a new run knows they receive it now
    run_now(pw.street_admin)
    assert _unreached(pw.street_admin, pw.nursing) == ["乙重度"]
    assert PolicyMatch.objects.filter(policy=pw.nursing).values("run").distinct().count() == 1


def test_lists_are_scoped(pw: Any, run_now: Any) -> None:
    run_now()
    assert _unreached(pw.worker_a, pw.nursing) == ["甲重度"]
    assert _unreached(pw.worker_b, pw.nursing) == ["乙重度"]
    assert _unreached(UserFactory(username="pol_nobody"), pw.nursing) == []
    with pytest.raises(ValidationError) as err:
        application_record(acting_user=pw.worker_b, policy=pw.nursing, person=pw.severe_a, applied_on=TODAY())
    assert "person" in err.value.message_dict


def test_revoking_puts_them_back(pw: Any, run_now: Any, tree: Any) -> None:
    run_now()
    a = application_record(acting_user=pw.worker_a, policy=pw.nursing, person=pw.severe_a, applied_on=TODAY())
    assert "甲重度" not in _unreached(pw.worker_a, pw.nursing)
    with pytest.raises(ValidationError) as err:
        application_revoke(acting_user=pw.worker_a, application=a, reason=" ")
    assert "reason" in err.value.message_dict
    application_revoke(acting_user=pw.worker_a, application=a, reason="登记错误")
    assert _unreached(pw.worker_a, pw.nursing) == ["甲重度"]
    assert _figure("policies.applied", Scope(region=tree.street, user=None, start=TODAY(), end=TODAY())) == 0


def test_receipt_tag_means_receiving_person_or_household(tree: Any, run_now: Any) -> None:
    dibao = policy_save(
        acting_user=None,
        data={
            "name": "最低生活保障",
            "department": "civil",
            "rule": '"dibao-edge" in person.tags || "dibao" in household.tags',
            "receipt_tag": "dibao",
        },
    )
    edge = PersonFactory(region=tree.grid_a, name="边缘户主", tags=["dibao-edge"])
    household_create(acting_user=None, head=edge)
    receiving = PersonFactory(region=tree.grid_a, name="已低保", tags=["dibao-edge", "dibao"])
    in_dibao_household = PersonFactory(region=tree.grid_a, name="低保户主")
    hh = household_create(acting_user=None, head=in_dibao_household)
    household_tags_set(acting_user=None, household=hh, tags=["dibao"])
    run_now(policy=dibao)
    admin = UserFactory(username="pol_root", is_superuser=True)
    assert _unreached(admin, dibao) == ["边缘户主"]
    assert sorted(m.person.name for m in selectors.reached(user=admin, policy=dibao)) == [
        "低保户主",
        "已低保",
    ]
    assert receiving.pk


def test_an_undecidable_rule_lists_nobody_and_counts_them(pw: Any, run_now: Any) -> None:
    odd = policy_save(
        acting_user=None, data={"name": "收入核对", "rule": "household.water_meter_reading < 6000.0"}
    )
    run_now(policy=odd)
    result = selectors.latest_result(odd)
    assert result is not None and result.qualified == 0 and result.undecided == result.candidates > 0


def test_rule_checked_when_saved(db: Any) -> None:
    with pytest.raises(ValidationError) as err:
        policy_save(acting_user=None, data={"name": "坏规则", "rule": "person.age >= "})
    assert "rule" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        policy_save(acting_user=None, data={"name": "坏标记", "rule": "true", "receipt_tag": "no-such-tag"})
    assert "receipt_tag" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        policy_save(acting_user=UserFactory(username="pol_plain"), data={"name": "x", "rule": "true"})


def test_record_checks(pw: Any) -> None:
    with pytest.raises(ValidationError) as err:
        application_record(
            acting_user=pw.worker_a,
            policy=pw.nursing,
            person=pw.severe_a,
            applied_on=TODAY() + datetime.timedelta(days=1),
        )
    assert "applied_on" in err.value.message_dict
    application_record(
        acting_user=pw.worker_a, policy=pw.nursing, person=pw.severe_a, applied_on=TODAY(), amount="90.5"
    )
    with pytest.raises(ValidationError) as err:
        application_record(acting_user=pw.worker_a, policy=pw.nursing, person=pw.severe_a, applied_on=TODAY())
    assert "applied_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        application_record(
            acting_user=pw.worker_a, policy=pw.nursing, person=pw.severe_b, applied_on=TODAY(), amount=1.5
        )
    assert PolicyApplication.objects.get().amount is not None
    with pytest.raises(PermissionDenied):
        application_record(
            acting_user=UserFactory(username="pol_leader_x"),
            policy=pw.nursing,
            person=pw.severe_a,
            applied_on=TODAY(),
        )
