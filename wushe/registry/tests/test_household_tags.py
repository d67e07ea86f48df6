"""Household-level tags (低保 on a household as well as on persons): set, ended, history, scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from wushe.registry.household_tags import household_tags_on, household_tags_set
from wushe.registry.models import HouseholdTag, Tag
from wushe.registry.services import household_create

D = datetime.date


@pytest.fixture
def tags(db: Any) -> dict[str, Tag]:
    return {
        code: Tag.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in (("dibao", "低保"), ("tekun", "特困"), ("tuopin", "脱贫户"))
    }


@pytest.fixture
def household(person_a: Any) -> Any:
    return household_create(acting_user=None, head=person_a)


def open_codes(household: Any) -> set[str]:
    return set(
        HouseholdTag.objects.filter(household=household, valid_to__isnull=True).values_list(
            "tag__code", flat=True
        )
    )


def test_tags_are_set_ended_and_kept_in_history_with_who(users: Any, household: Any, tags: Any) -> None:
    household_tags_set(
        acting_user=users.worker_a, household=household, tags=["dibao", "tuopin"], on=D(2024, 1, 1)
    )
    assert open_codes(household) == {"dibao", "tuopin"}
    household_tags_set(
        acting_user=users.worker_a, household=household, tags=["tekun", "tuopin"], on=D(2025, 6, 1)
    )
    assert open_codes(household) == {"tekun", "tuopin"}
    dibao = HouseholdTag.objects.get(household=household, tag__code="dibao")
    assert (dibao.valid_from, dibao.valid_to) == (D(2024, 1, 1), D(2025, 6, 1))
    assert dibao.history.latest().history_user == users.worker_a
    assert (
        HouseholdTag.objects.get(household=household, tag__code="tekun").history.get().history_user
        == users.worker_a
    )
    # on a day in the past, the tags valid then
    assert {
        t.tag.code
        for t in household_tags_on(user=users.worker_a, household_id=household.pk, on=D(2024, 7, 1))
    } == {
        "dibao",
        "tuopin",
    }
    history = household_tags_on(user=users.worker_a, household_id=household.pk, history=True)
    assert [(t.tag.code, t.valid_to) for t in history] == [
        ("tekun", None),
        ("tuopin", None),
        ("dibao", D(2025, 6, 1)),
    ]


def test_a_tag_opened_and_dropped_the_same_day_leaves_nothing(users: Any, household: Any, tags: Any) -> None:
    household_tags_set(acting_user=users.worker_a, household=household, tags=["dibao"], on=D(2025, 1, 1))
    household_tags_set(acting_user=users.worker_a, household=household, tags=[], on=D(2025, 1, 1))
    assert not HouseholdTag.objects.filter(household=household).exists()


def test_unknown_tags_a_future_day_and_an_overlap_are_refused(users: Any, household: Any, tags: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        household_tags_set(acting_user=users.worker_a, household=household, tags=["dibao", "nosuch"])
    assert "tags" in caught.value.message_dict and "nosuch" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        household_tags_set(acting_user=users.worker_a, household=household, tags=["dibao"], on=D(2999, 1, 1))
    assert "on" in caught.value.message_dict
    household_tags_set(acting_user=users.worker_a, household=household, tags=["dibao"], on=D(2025, 1, 1))
    household_tags_set(acting_user=users.worker_a, household=household, tags=[], on=D(2025, 3, 1))
    with pytest.raises(ValidationError):  # back-dated into a period already recorded
        household_tags_set(acting_user=users.worker_a, household=household, tags=["dibao"], on=D(2025, 2, 1))
    assert not HouseholdTag.objects.filter(valid_to__isnull=True).exists()


def test_scoped_to_the_households_region(users: Any, household: Any, tags: Any) -> None:
    with pytest.raises(ValidationError) as caught:  # 乙社区's worker, 甲社区's household
        household_tags_set(acting_user=users.worker_b, household=household, tags=["dibao"])
    assert "household" in caught.value.message_dict
    with pytest.raises(PermissionDenied):  # the leader reads only
        household_tags_set(acting_user=users.leader, household=household, tags=["dibao"])
    household_tags_set(acting_user=users.worker_a, household=household, tags=["dibao"])
    with pytest.raises(Http404):
        household_tags_on(user=users.worker_b, household_id=household.pk)
    assert [t.tag.code for t in household_tags_on(user=users.leader, household_id=household.pk)] == ["dibao"]
    assert not HouseholdTag.objects.visible_to(users.worker_b).exists()
