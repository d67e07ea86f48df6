"""Every write to the registry goes through these services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import PersonFactory, certificate_for, next_id_number
from wushe.core.models import AccessEvent, AccessEventKind
from wushe.core.validators import mask_id_number
from wushe.registry import services
from wushe.registry.models import (
    DisabilityCertificate,
    Household,
    Person,
    PersonSearchKey,
    PersonStatus,
    PersonTag,
    Relation,
)
from wushe.registry.selectors import ledger_counts

TODAY = timezone.localdate()
BIRTH = datetime.date(1962, 8, 9)


def counts() -> dict[str, int]:
    return {
        "person": Person.objects.count(),
        "history": Person.history.count(),
        "keys": PersonSearchKey.objects.count(),
        "tags": PersonTag.objects.count(),
        "certificates": DisabilityCertificate.objects.count(),
        "households": Household.objects.count(),
        "events": AccessEvent.objects.count(),
    }


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def keys_of(person: Person) -> set[str]:
    return set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))


def open_tag_codes(person: Person) -> set[str]:
    return set(person.tags.filter(valid_to__isnull=True).values_list("tag__code", flat=True))


# ---- person_create ----------------------------------------------------------------------


def test_person_create_derives_and_masks(tree: Any, users: Any) -> None:
    number = next_id_number(birth=BIRTH, male=True)
    result = services.person_create(
        acting_user=users.worker_a,
        region=tree.grid_a,
        name=" 祝长连 ",
        id_number=number[:-1] + number[-1].lower(),
        phone="138-1234-5678",
        contact_name="祝大",
        contact_phone="0543 3211234",
        address=" 黄河五路 1 号 ",
        tags=["低保", "veteran"],
        disability_certificate=certificate_for(number, 6, 2),
    )
    person = Person.objects.get(pk=result.person.pk)
    assert person.name == "祝长连"
    assert person.address == "黄河五路 1 号"
    assert person.id_number == number
    assert person.birth_date == BIRTH
    assert person.sex == "M"
    assert person.id_masked == mask_id_number(number) == number[:6] + "********" + number[-4:]
    assert person.phone == "13812345678"
    assert person.phone_masked == "138****5678"
    assert person.contact_phone == "05433211234"
    assert person.id_hash == services.id_hash(number)
    assert person.phone_hash == services.phone_hash("13812345678")
    assert person.status == PersonStatus.ACTIVE
    assert person.name_pinyin == "zhuzhanglian"  # pypinyin's first reading; sorting only
    assert {"zcl", "zzl", "zhuchanglian", "zhuzhanglian"} <= keys_of(person)
    assert open_tag_codes(person) == {"dibao", "veteran"}
    cert = person.certificates.get()
    assert (cert.category, cert.level, cert.valid_from, cert.valid_to) == (6, 2, TODAY, None)
    assert person.history.count() == 1
    assert person.history.first().history_user == users.worker_a
    # 371602 dates from 2000: a 1962 number from it is accepted with a warning
    assert len(result.warnings) == 1


def test_person_create_female_without_extras(tree: Any) -> None:
    number = next_id_number(birth=datetime.date(2001, 2, 3), male=False)
    person = services.person_create(
        acting_user=None, region=tree.community_c, name="李芳", id_number=number
    ).person
    assert person.sex == "F"
    assert person.birth_date == datetime.date(2001, 2, 3)
    assert (person.phone, person.phone_hash, person.phone_masked) == ("", "", "")
    assert not person.tags.exists()
    assert not person.certificates.exists()
    assert keys_of(person) == {"lifang", "lf"}


def test_person_create_accepts_legacy_15_digit_numbers(tree: Any) -> None:
    legacy = "371602620809123"
    person = services.person_create(
        acting_user=None, region=tree.grid_a, name="老号", id_number=legacy
    ).person
    assert len(person.id_number) == 18
    assert person.id_number[:6] + person.id_number[8:17] == legacy
    assert person.birth_date == datetime.date(1962, 8, 9)


@pytest.mark.parametrize("category,level", [(1, 1), (5, 3), (7, 4)])
def test_person_create_with_certificate(tree: Any, category: int, level: int) -> None:
    person = PersonFactory(region=tree.community_a, category=category, level=level)
    cert = person.certificates.get()
    assert (cert.category, cert.level) == (category, level)


def test_certificate_must_agree_with_id(tree: Any) -> None:
    number, other = next_id_number(), next_id_number()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            acting_user=None,
            region=tree.grid_a,
            name="张三",
            id_number=number,
            disability_certificate=certificate_for(other, 4, 2),
        )
    assert fields_of(exc) == {"disability_certificate"}
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            acting_user=None,
            region=tree.grid_a,
            name="张三",
            id_number=number,
            disability_certificate=number + "92",
        )
    assert fields_of(exc) == {"disability_certificate"}
    assert counts() == before


def test_duplicate_id_is_rejected(tree: Any, person_a: Any) -> None:
    before = counts()
    for variant in (person_a.id_number, f" {person_a.id_number[:6]}-{person_a.id_number[6:]} "):
        with pytest.raises(ValidationError) as exc:
            services.person_create(acting_user=None, region=tree.community_c, name="重复", id_number=variant)
        assert fields_of(exc) == {"id_number"}
        assert "已登记" in exc.value.message_dict["id_number"][0]
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "12345"}, "id_number"),
        ({"id_number": "WRONG_CHECK"}, "id_number"),
        ({"name": "   "}, "name"),
        ({"name": "名" * 51}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"contact_phone": "abc"}, "contact_phone"),
        ({"tags": ["低保", "不存在的类别"]}, "tags"),
        ({"disability_certificate": "BAD"}, "disability_certificate"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    tree: Any, users: Any, person_a: Any, changes: dict[str, Any], field: str
) -> None:
    if changes.get("id_number") == "WRONG_CHECK":
        good = next_id_number(birth=BIRTH)
        changes = {"id_number": good[:17] + ("0" if good[-1] != "0" else "1")}
    kwargs: dict[str, Any] = {
        "acting_user": users.worker_a,
        "region": tree.grid_a,
        "name": "新人",
        "id_number": next_id_number(),
        "tags": ["低保"],
        **changes,
    }
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.person_create(**kwargs)
    assert fields_of(exc) == {field}
    assert counts() == before


def test_region_must_be_community_or_grid(tree: Any, users: Any) -> None:
    before = counts()
    for region in (tree.street, tree.county):
        with pytest.raises(ValidationError) as exc:
            services.person_create(acting_user=None, region=region, name="甲", id_number=next_id_number())
        assert fields_of(exc) == {"region"}
    assert counts() == before


def test_region_must_be_in_the_actors_scope(tree: Any, users: Any) -> None:
    before = counts()
    for user, region in [
        (users.worker_a, tree.community_b),
        (users.worker_a, tree.grid_b),
        (users.street_admin, tree.community_c),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.person_create(acting_user=user, region=region, name="甲", id_number=next_id_number())
        assert fields_of(exc) == {"region"}
    assert counts() == before
    assert (
        services.person_create(
            acting_user=users.street_admin, region=tree.grid_b, name="乙", id_number=next_id_number()
        ).person.region
        == tree.grid_b
    )


@pytest.mark.parametrize("who", ["leader", "nobody"])
def test_person_create_needs_manage_permission(tree: Any, users: Any, who: str) -> None:
    before = counts()
    with pytest.raises(PermissionDenied):
        services.person_create(
            acting_user=getattr(users, who), region=tree.grid_a, name="甲", id_number=next_id_number()
        )
    assert counts() == before


def test_failure_after_the_first_write_rolls_everything_back(
    tree: Any, users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The certificate is written last: if it fails, the person, keys and tags go too."""
    number = next_id_number()

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(DisabilityCertificate, "save", boom)  # the certificate is the last write
    before = counts()
    with pytest.raises(RuntimeError):
        services.person_create(
            acting_user=users.worker_a,
            region=tree.grid_a,
            name="回滚",
            id_number=number,
            tags=["低保"],
            disability_certificate=certificate_for(number, 6, 1),
        )
    assert counts() == before
    assert not Person.objects.filter(id_hash=services.id_hash(number)).exists()


def test_person_create_in_a_household(tree: Any, person_a: Any) -> None:
    household = services.household_create(acting_user=None, head=person_a)
    member = PersonFactory(region=tree.grid_a, household=household, relation_to_head=Relation.SPOUSE)
    assert (member.household, member.relation_to_head) == (household, Relation.SPOUSE)
    other = PersonFactory(region=tree.grid_a, household=household)
    assert other.relation_to_head == Relation.OTHER
    before = counts()
    with pytest.raises(ValidationError) as exc:
        PersonFactory(region=tree.community_a, household=household)
    assert fields_of(exc) == {"household"}
    assert counts() == before


# ---- person_update ----------------------------------------------------------------------


def test_person_update_records_history_with_the_actor(users: Any, person_a: Any) -> None:
    services.person_update(acting_user=users.worker_a, person=person_a, address="新地址", phone="13900001111")
    person = Person.objects.get(pk=person_a.pk)
    assert person.address == "新地址"
    assert person.phone == "13900001111"
    assert person.phone_masked == "139****1111"
    assert person.phone_hash == services.phone_hash("13900001111")
    assert person.history.count() == 2
    latest = person.history.first()
    assert latest.history_user == users.worker_a
    assert latest.history_type == "~"
    assert latest.address == "新地址"
    assert person.history.last().address != "新地址"
    services.person_update(acting_user=users.street_admin, person=person, address="又一个地址")
    assert person.history.first().history_user == users.street_admin


def test_person_update_name_rewrites_search_keys(users: Any, person_a: Any) -> None:
    assert "zcl" in keys_of(person_a)
    services.person_update(acting_user=users.worker_a, person=person_a, name="李小龙")
    person = Person.objects.get(pk=person_a.pk)
    assert person.name_pinyin == "lixiaolong"
    assert keys_of(person) == {"lixiaolong", "lxl"}


def test_person_update_id_number_rederives(users: Any, person_a: Any) -> None:
    number = next_id_number(birth=datetime.date(1999, 9, 9), male=False)
    services.person_update(acting_user=users.worker_a, person=person_a, id_number=number)
    person = Person.objects.get(pk=person_a.pk)
    assert (person.id_number, person.birth_date, person.sex) == (number, datetime.date(1999, 9, 9), "F")
    assert person.id_masked == mask_id_number(number)
    assert person.id_hash == services.id_hash(number)


def test_person_update_rejects_bad_changes_and_keeps_the_row(
    users: Any, person_a: Any, person_b: Any
) -> None:
    before = counts()
    stored = Person.objects.filter(pk=person_a.pk).values().get()
    for changes, field in [
        ({"id_number": person_b.id_number}, "id_number"),
        ({"id_number": "1234"}, "id_number"),
        ({"phone": "1"}, "phone"),
        ({"name": ""}, "name"),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.person_update(
                acting_user=users.worker_a, person=Person.objects.get(pk=person_a.pk), **changes
            )
        assert fields_of(exc) == {field}
    # a field that person_update does not change (status: person_deregister; region: person_move)
    # is no keyword of it
    for changes in ({"status": PersonStatus.DECEASED}, {"region": "x"}):
        with pytest.raises(TypeError):
            services.person_update(
                acting_user=users.worker_a, person=Person.objects.get(pk=person_a.pk), **changes
            )
    assert counts() == before
    assert Person.objects.filter(pk=person_a.pk).values().get() == stored


def test_person_update_scope_and_permission(users: Any, person_a: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.person_update(acting_user=users.worker_b, person=person_a, address="x")
    assert fields_of(exc) == {"region"}
    with pytest.raises(PermissionDenied):
        services.person_update(acting_user=users.leader, person=person_a, address="x")
    assert Person.objects.get(pk=person_a.pk).address == person_a.address
    assert person_a.history.count() == 1


# ---- person_move ------------------------------------------------------------------------


def test_person_move(tree: Any, users: Any, person_a: Any) -> None:
    services.person_move(acting_user=users.street_admin, person=person_a, region=tree.community_b)
    person = Person.objects.get(pk=person_a.pk)
    assert person.region == tree.community_b
    assert person.history.first().history_user == users.street_admin
    assert person.history.first().region_id == tree.community_b.pk
    assert person.history.last().region_id == tree.grid_a.pk
    # now out of worker_a's scope, in worker_b's
    assert not Person.objects.visible_to(users.worker_a).filter(pk=person.pk).exists()
    assert Person.objects.visible_to(users.worker_b).filter(pk=person.pk).exists()
    # the certificate went along: the ledger counts the person in the new community
    assert ledger_counts(user=None, region=tree.community_a).total == 0
    assert ledger_counts(user=users.worker_b, region=tree.community_b).by_colour["red"] == 1
    assert not DisabilityCertificate.objects.visible_to(users.worker_a).exists()


def test_person_move_takes_the_household_when_head(tree: Any, users: Any, person_a: Any) -> None:
    household = services.household_create(acting_user=None, head=person_a)
    member = PersonFactory(region=tree.grid_a)
    services.household_add_member(
        acting_user=None, household=household, person=member, relation=Relation.CHILD
    )
    services.person_tags_set(acting_user=None, person=member, tags=["dibao"])
    services.person_move(acting_user=None, person=person_a, region=tree.grid_b)
    assert Household.objects.get(pk=household.pk).region == tree.grid_b
    assert Person.objects.get(pk=member.pk).region == tree.grid_b
    assert set(PersonTag.objects.visible_to(users.worker_b).values_list("person_id", flat=True)) == {
        member.pk
    }
    assert not PersonTag.objects.visible_to(users.worker_a).exists()
    assert ledger_counts(user=users.worker_b, region=tree.street).total == 1


def test_person_move_checks(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    before = counts()
    for user, person, region, field in [
        (users.worker_a, person_a, tree.community_b, "region"),  # target out of scope
        (users.worker_a, person_b, tree.community_a, "region"),  # person out of scope
        (users.street_admin, person_a, tree.street, "region"),  # not a community or grid
    ]:
        with pytest.raises(ValidationError) as exc:
            services.person_move(acting_user=user, person=person, region=region)
        assert fields_of(exc) == {field}
    with pytest.raises(PermissionDenied):
        services.person_move(acting_user=users.leader, person=person_a, region=tree.community_a)
    assert counts() == before
    assert Person.objects.get(pk=person_a.pk).region == tree.grid_a


# ---- person_deregister ------------------------------------------------------------------


@pytest.mark.parametrize("status", [PersonStatus.MOVED, PersonStatus.DECEASED])
def test_person_deregister_keeps_the_person(tree: Any, users: Any, status: str) -> None:
    start = TODAY - datetime.timedelta(days=100)
    number = next_id_number()
    person = services.person_create(
        acting_user=None,
        region=tree.grid_a,
        name="注销",
        id_number=number,
        tags=["低保", "tekun"],
        disability_certificate=certificate_for(number, 4, 1),
        valid_from=start,
    ).person
    day = TODAY - datetime.timedelta(days=10)
    assert ledger_counts(user=None, region=tree.street).by_colour["blue"] == 1
    services.person_deregister(
        acting_user=users.worker_a, person=person, status=status, on=day, note=" 去北京 "
    )
    person = Person.objects.get(pk=person.pk)
    assert person.status == status
    assert person.status_changed_on == day
    assert person.status_note == "去北京"
    assert person.history.first().history_user == users.worker_a
    assert person.history.first().status == status
    # open rows end on that day, nothing is deleted
    assert list(person.tags.values_list("valid_to", flat=True)) == [day, day]
    assert list(person.certificates.values_list("valid_to", flat=True)) == [day]
    assert open_tag_codes(person) == set()
    # the ledger before and after
    assert ledger_counts(user=None, region=tree.street).by_colour["blue"] == 0
    assert (
        ledger_counts(user=None, region=tree.street, as_of=day - datetime.timedelta(days=1)).by_colour["blue"]
        == 1
    )
    # once off the register, not again
    with pytest.raises(ValidationError) as exc:
        services.person_deregister(acting_user=None, person=person, status=PersonStatus.DECEASED)
    assert fields_of(exc) == {"status"}


def test_person_deregister_on_the_day_of_registration(tree: Any, person_a: Any) -> None:
    services.person_deregister(acting_user=None, person=person_a, status=PersonStatus.DECEASED)
    cert = person_a.certificates.get()
    assert cert.valid_to == cert.valid_from + datetime.timedelta(days=1)  # the period stays valid
    assert ledger_counts(user=None, region=tree.street).total == 0


def test_person_deregister_checks(tree: Any, users: Any, person_a: Any) -> None:
    before = counts()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"status": PersonStatus.ACTIVE}, "status"),
        ({"status": "gone"}, "status"),
        ({"status": PersonStatus.MOVED, "on": TODAY + datetime.timedelta(days=1)}, "on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.person_deregister(acting_user=users.worker_a, person=person_a, **kwargs)
        assert fields_of(exc) == {field}
    with pytest.raises(ValidationError) as exc:
        services.person_deregister(acting_user=users.worker_b, person=person_a, status=PersonStatus.MOVED)
    assert fields_of(exc) == {"region"}
    with pytest.raises(PermissionDenied):
        services.person_deregister(acting_user=users.leader, person=person_a, status=PersonStatus.MOVED)
    assert counts() == before
    assert Person.objects.get(pk=person_a.pk).status == PersonStatus.ACTIVE


# ---- person_tags_set --------------------------------------------------------------------


def test_person_tags_set(tree: Any, users: Any) -> None:
    start = TODAY - datetime.timedelta(days=30)
    person = PersonFactory(region=tree.grid_a, tags=["dibao", "veteran"], valid_from=start)
    services.person_tags_set(acting_user=users.worker_a, person=person, tags=["veteran", "特困"])
    assert open_tag_codes(person) == {"veteran", "tekun"}
    closed = person.tags.get(tag__code="dibao")
    assert (closed.valid_from, closed.valid_to) == (start, TODAY)
    assert person.tags.get(tag__code="tekun").valid_from == TODAY
    assert person.tags.get(tag__code="veteran").valid_from == start  # untouched
    # a tag opened today and removed today leaves no trace
    services.person_tags_set(acting_user=users.worker_a, person=person, tags=["veteran"])
    assert open_tag_codes(person) == {"veteran"}
    assert not person.tags.filter(tag__code="tekun").exists()
    # the same tag again later opens a new period
    services.person_tags_set(acting_user=users.worker_a, person=person, tags=["veteran", "dibao"])
    assert person.tags.filter(tag__code="dibao").count() == 2
    services.person_tags_set(acting_user=users.worker_a, person=person, tags=[])
    assert open_tag_codes(person) == set()


def test_person_tags_set_checks(users: Any, person_a: Any) -> None:
    services.person_tags_set(acting_user=None, person=person_a, tags=["dibao"])
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.person_tags_set(acting_user=users.worker_a, person=person_a, tags=["tekun", "无此类别"])
    assert fields_of(exc) == {"tags"}
    assert "无此类别" in exc.value.message_dict["tags"][0]
    with pytest.raises(ValidationError):
        services.person_tags_set(acting_user=users.worker_b, person=person_a, tags=[])
    with pytest.raises(PermissionDenied):
        services.person_tags_set(acting_user=users.leader, person=person_a, tags=[])
    assert counts() == before
    assert open_tag_codes(person_a) == {"dibao"}


# ---- certificate_set --------------------------------------------------------------------


def test_certificate_change_closes_the_old_one_and_keeps_last_month(tree: Any, users: Any) -> None:
    first_of_month = TODAY.replace(day=1)
    last_month_end = first_of_month - datetime.timedelta(days=1)
    start = last_month_end.replace(day=1) - datetime.timedelta(days=31)
    number = next_id_number()
    person = services.person_create(
        acting_user=None,
        region=tree.grid_a,
        name="换证",
        id_number=number,
        disability_certificate=certificate_for(number, 4, 3),  # blue
        valid_from=start,
    ).person
    new = services.certificate_set(
        acting_user=users.worker_a, person=person, number=certificate_for(number, 6, 1), on=first_of_month
    )
    assert (new.category, new.level, new.valid_from, new.valid_to) == (6, 1, first_of_month, None)
    old = person.certificates.get(category=4)
    assert (old.valid_from, old.valid_to) == (start, first_of_month)
    assert old.history.first().history_user == users.worker_a

    then = ledger_counts(user=users.worker_a, region=tree.community_a, as_of=last_month_end)
    assert then.by_colour == {"red": 0, "blue": 1, "green": 0, "yellow": 0}
    assert then.by_level[3] == 1 and then.by_category[4] == 1
    now = ledger_counts(user=users.worker_a, region=tree.community_a)
    assert now.by_colour == {"red": 1, "blue": 0, "green": 0, "yellow": 0}
    assert now.by_level[1] == 1 and now.by_category[6] == 1
    before_any = ledger_counts(user=None, region=tree.street, as_of=start - datetime.timedelta(days=1))
    assert before_any.total == 0


def test_certificate_set_same_or_same_day(tree: Any, person_a: Any) -> None:
    current = person_a.certificates.get()
    same = services.certificate_set(
        acting_user=None, person=person_a, number=certificate_for(person_a.id_number, 6, 2)
    )
    assert same.pk == current.pk
    # a correction on the day of issue replaces the row instead of leaving a 0-day period
    fixed = services.certificate_set(
        acting_user=None, person=person_a, number=certificate_for(person_a.id_number, 5, 2)
    )
    assert list(person_a.certificates.values_list("pk", "category")) == [(fixed.pk, 5)]


def test_certificate_set_for_a_person_without_one(tree: Any, users: Any) -> None:
    person = PersonFactory(region=tree.community_a)
    cert = services.certificate_set(
        acting_user=users.worker_a, person=person, number=certificate_for(person.id_number, 2, 4)
    )
    assert (cert.category, cert.level, cert.valid_to) == (2, 4, None)
    assert ledger_counts(user=None, region=tree.street).by_colour["green"] == 1


def test_certificate_set_checks(users: Any, person_a: Any, person_b: Any) -> None:
    before = counts()
    for number in (certificate_for(person_b.id_number, 6, 2), person_a.id_number + "08", "1"):
        with pytest.raises(ValidationError) as exc:
            services.certificate_set(acting_user=users.worker_a, person=person_a, number=number)
        assert fields_of(exc) == {"disability_certificate"}
    with pytest.raises(ValidationError):
        services.certificate_set(
            acting_user=users.worker_b, person=person_a, number=certificate_for(person_a.id_number, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.certificate_set(
            acting_user=users.leader, person=person_a, number=certificate_for(person_a.id_number, 1, 1)
        )
    assert counts() == before


# ---- households -------------------------------------------------------------------------


def test_household_create_and_add_member(tree: Any, users: Any, person_a: Any) -> None:
    household = services.household_create(acting_user=users.worker_a, head=person_a, address="")
    assert household.region == tree.grid_a
    assert household.address == person_a.address
    head = Person.objects.get(pk=person_a.pk)
    assert (head.household, head.relation_to_head) == (household, Relation.HEAD)
    assert head.history.first().history_user == users.worker_a
    spouse = PersonFactory(region=tree.grid_a)
    services.household_add_member(
        acting_user=users.worker_a, household=household, person=spouse, relation=Relation.SPOUSE
    )
    assert set(household.members.values_list("name", "relation_to_head")) == {
        (person_a.name, Relation.HEAD),
        (spouse.name, Relation.SPOUSE),
    }
    assert household.name == f"{person_a.name}户"
    assert str(household) == f"{person_a.name}户（{person_a.address}）"  # where it lives, when named alone
    custom = services.household_create(
        acting_user=None, head=PersonFactory(region=tree.grid_a), address="另一处"
    )
    assert custom.address == "另一处"


def test_household_checks(tree: Any, users: Any, person_a: Any, person_b: Any) -> None:
    household = services.household_create(acting_user=None, head=person_a)
    other_household = services.household_create(acting_user=None, head=PersonFactory(region=tree.grid_a))
    member = PersonFactory(region=tree.grid_a)
    before = counts()
    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: services.household_create(acting_user=None, head=person_a), "head"),
        (
            lambda: services.household_add_member(
                acting_user=None, household=household, person=member, relation=Relation.HEAD
            ),
            "relation",
        ),
        (
            lambda: services.household_add_member(
                acting_user=None, household=household, person=member, relation="cousin"
            ),
            "relation",
        ),
        (
            lambda: services.household_add_member(
                acting_user=None, household=household, person=person_b, relation=Relation.CHILD
            ),
            "person",
        ),
        (
            lambda: services.household_add_member(
                acting_user=None,
                household=household,
                person=Person.objects.get(pk=other_household.members.get().pk),
                relation=Relation.CHILD,
            ),
            "person",
        ),
        (
            lambda: services.household_add_member(
                acting_user=users.worker_b, household=household, person=member, relation=Relation.CHILD
            ),
            "region",
        ),
        (lambda: services.household_create(acting_user=users.worker_b, head=member), "region"),
    ]
    for call, field in cases:
        with pytest.raises(ValidationError) as exc:
            call()
        assert fields_of(exc) == {field}
    with pytest.raises(PermissionDenied):
        services.household_create(acting_user=users.leader, head=member)
    assert counts() == before


# ---- person_reveal ----------------------------------------------------------------------


def test_person_reveal_needs_permission_and_is_recorded(users: Any, person_a: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.person_reveal(user=users.leader, person=person_a)
    assert not AccessEvent.objects.exists()
    full = services.person_reveal(user=users.worker_a, person=person_a)
    assert full == {"id_number": person_a.id_number, "phone": "13812345678", "contact_phone": ""}
    event = AccessEvent.objects.get()
    assert event.kind == AccessEventKind.REVEAL
    assert event.user == users.worker_a
    assert (event.object_type, event.object_id) == ("registry.person", str(person_a.pk))


def test_a_member_moving_away_leaves_the_household(tree: Any, person_a: Any) -> None:
    household = services.household_create(acting_user=None, head=person_a)
    member = PersonFactory(region=tree.grid_a)
    services.household_add_member(
        acting_user=None, household=household, person=member, relation=Relation.CHILD
    )
    services.person_move(acting_user=None, person=member, region=tree.grid_b)
    member.refresh_from_db()
    assert (member.region, member.household, member.relation_to_head) == (tree.grid_b, None, "")
    assert Person.objects.get(pk=person_a.pk).household_id == household.pk
    newest, before = member.history.all()[:2]  # the history keeps the household they left
    assert (newest.household_id, before.household_id) == (None, household.pk)
