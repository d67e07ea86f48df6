"""A person's day of registration (登记日期): given by the one-by-one and the bulk path, checked,
and what 新登记居民 counts — not the moment the row was written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import certificate_for, next_id_number
from wushe.core.metrics import Scope, compute, recompute
from wushe.registry import services
from wushe.registry.models import Person

TODAY = timezone.localdate()
BIRTH = datetime.date(1970, 5, 6)
EARLIER = datetime.date(2019, 4, 15)


def new_persons(region: Any, start: datetime.date, end: datetime.date) -> Any:
    return compute(Scope(region=region, start=start, end=end), ["persons.new"])["persons.new"].value


def test_a_person_carried_over_from_an_older_ledger_counts_as_registered_then(tree: Any) -> None:
    number = next_id_number(birth=BIRTH)
    person = services.person_create(
        acting_user=None,
        region=tree.grid_a,
        name="王登记",
        id_number=number,
        tags=["低保"],
        disability_certificate=certificate_for(number, 4, 3),
        registered_on=EARLIER,
    ).person
    today_only = services.person_create(
        acting_user=None, region=tree.grid_a, name="李今天", id_number=next_id_number()
    ).person
    assert person.registered_on == EARLIER and today_only.registered_on == TODAY
    assert person.created_at.date() >= TODAY - datetime.timedelta(days=1)  # written now all the same
    # the tags and the certificate hold from the day of registration
    assert person.certificates.get().valid_from == EARLIER
    assert person.tags.get().valid_from == EARLIER
    assert person.history.get().registered_on == EARLIER
    this_year = (TODAY.replace(month=1, day=1), TODAY)
    assert new_persons(tree.street, *this_year) == 1
    assert new_persons(tree.street, datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)) == 1
    assert new_persons(tree.street, datetime.date(2019, 4, 16), datetime.date(2019, 12, 31)) == 0
    scope = Scope(region=tree.street, start=EARLIER, end=EARLIER)
    assert recompute("persons.new", scope) == 1
    assert list(Person.objects.filter(registered_on=EARLIER)) == [person]


@pytest.mark.parametrize(
    "day,message",
    [
        (TODAY + datetime.timedelta(days=1), "登记日期不能晚于今天"),
        (BIRTH - datetime.timedelta(days=1), "登记日期不能早于出生日期"),
    ],
)
def test_the_day_of_registration_is_checked(tree: Any, day: datetime.date, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            acting_user=None,
            region=tree.grid_a,
            name="王登记",
            id_number=next_id_number(birth=BIRTH),
            registered_on=day,
        )
    assert exc.value.message_dict == {"registered_on": [message]}
    assert not Person.objects.exists()
    with pytest.raises(ValidationError) as bulk:
        services.person_draft(
            region_id=tree.grid_a.pk, name="王登记", id_number=next_id_number(birth=BIRTH), registered_on=day
        )
    assert bulk.value.message_dict == {"registered_on": [message]}


def test_the_bulk_path_registers_on_the_drafts_own_day_or_the_day_of_the_write(tree: Any) -> None:
    old_number, new_number = next_id_number(birth=BIRTH), next_id_number(birth=BIRTH)
    old = services.person_draft(
        region_id=tree.grid_a.pk,
        name="张旧账",
        id_number=old_number,
        certificate=certificate_for(old_number, 6, 2),
        registered_on=EARLIER,
    )
    new = services.person_draft(
        region_id=tree.grid_a.pk,
        name="赵新账",
        id_number=new_number,
        certificate=certificate_for(new_number, 4, 1),
    )
    on = TODAY - datetime.timedelta(days=3)
    result = services.person_bulk_upsert(acting_user=None, creates=[old, new], on=on)
    assert result.created == 2
    persons = {p.name: p for p in Person.objects.all()}
    assert persons["张旧账"].registered_on == EARLIER
    assert persons["赵新账"].registered_on == on
    assert persons["张旧账"].certificates.get().valid_from == EARLIER
    assert persons["赵新账"].certificates.get().valid_from == on
    assert persons["张旧账"].history.get().registered_on == EARLIER  # its "+" history row too
    assert new_persons(tree.street, datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)) == 1
